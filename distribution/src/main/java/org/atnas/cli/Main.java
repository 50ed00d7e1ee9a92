package org.atnas.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.slf4j.bridge.SLF4JBridgeHandler;

/** Entry point of {@code bin/atnas}. */
public final class Main
{
    private Main() {}

    public static void main(String[] args)
    {
        // libraries that log through java.util.logging (netlib, Weka) go through SLF4J and its levels
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        String home = System.getProperty("atnas.home");
        Path homePath = Path.of(home == null ? "." : home);
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(Launcher.run(homePath, out, err, args));
    }
}
