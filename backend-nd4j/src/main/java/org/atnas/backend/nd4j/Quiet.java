package org.atnas.backend.nd4j;

import java.io.OutputStream;
import java.io.PrintStream;

/**
 * Runs ND4J code that prints to standard output: building a gradient function prints one line per
 * op ("Added differentiated op ..."), hundreds per architecture, which would bury the results a
 * user reads there. The launcher's writers hold the original stream, and atnas logs to standard
 * error, so swapping {@code System.out} for the duration loses nothing of ours; one swap at a time,
 * since workers compile on several threads.
 */
final class Quiet
{
    private static final PrintStream DISCARD = new PrintStream(OutputStream.nullOutputStream());

    private Quiet() {}

    static synchronized void run(Runnable noisy)
    {
        PrintStream out = System.out;
        System.setOut(DISCARD);
        try {
            noisy.run();
        }
        finally {
            System.setOut(out);
        }
    }
}
