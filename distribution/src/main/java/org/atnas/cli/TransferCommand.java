package org.atnas.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

import org.atnas.api.Individual;
import org.atnas.api.Population;
import org.atnas.core.run.RunDirectory;
import org.atnas.core.run.RunLock;
import org.atnas.core.transfer.ArchitectureTransfer;
import org.atnas.core.transfer.TransferRun;
import org.atnas.core.transfer.TransferSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code atnas transfer}: fast architecture transfer (Algorithm 3) of a search's population to a labelled data set, then the final training and test of the architecture left. */
@Command(name = "transfer", mixinStandardHelpOptions = true,
        description = {"Fast architecture transfer (Algorithm 3): trains a search's population on a labelled data set, halving it until one architecture is left, then trains and tests that one.",
                "For example --set data.dataset=fashion-mnist --set data.path=DIR; transfer.* keys set the schedule and the baselines; a new run directory; Ctrl-C writes a checkpoint."})
final class TransferCommand
        implements Runnable
{
    @ParentCommand
    AtnasCommand parent;

    @Parameters(index = "0", arity = "0..1", paramLabel = "RUN_DIR", description = "The search's run directory.")
    Path source;

    @Option(names = "--resume", paramLabel = "TRANSFER_DIR", description = "Continues a stopped transfer from its latest checkpoint.")
    Path resume;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Overrides a key of the search's configuration (data.*, transfer.*, backend, ...); repeatable.")
    List<String> overrides = new ArrayList<>();

    @Override
    public void run()
    {
        Launcher launcher = parent.launcher;
        if (resume != null) {
            if (source != null || !overrides.isEmpty()) {
                throw new IllegalArgumentException("--resume continues a transfer with the settings it was started with; RUN_DIR and --set cannot be used with it");
            }
            RunDirectory directory = RunDirectory.open(resume);
            try (RunLock ignored = directory.lock(); TransferRun run = TransferRun.resume(launcher.plugins(), resume)) {
                transfer(launcher, run, resume);
            }
            return;
        }
        if (source == null) {
            throw new IllegalArgumentException("atnas transfer needs the search's run directory (RUN_DIR), or --resume TRANSFER_DIR");
        }
        try (TransferRun run = TransferRun.start(launcher.plugins(), source, overrides)) {
            RunDirectory directory = run.createRunDirectory(Clock.systemDefaultZone());
            try (RunLock ignored = directory.lock()) {
                transfer(launcher, run, directory.path());
            }
        }
    }

    private static void transfer(Launcher launcher, TransferRun run, Path directory)
    {
        PrintWriter err = launcher.err();
        PrintWriter out = launcher.out();
        AtomicBoolean stop = new AtomicBoolean();
        ArchitectureTransfer transfer = run.transfer(directory, stop::get);
        var plan = transfer.plan();
        err.printf(Locale.ROOT, "Transfer of %d architecture(s) from %s (%s weights) to %s: %,d training, %,d validation, %,d test images; %d evolution(s) of %d epoch(s), %d final epoch(s)%n",
                plan.population(), run.configuration().get(TransferSettings.SOURCE), run.configuration().get(TransferSettings.WEIGHTS), run.configuration().get(
                        org.atnas.core.data.DataSettings.DATASET), run.split().training().length, run.split().validation().length, run.data().test().size(), plan.evolutions(),
                plan.paramEpochs(), plan.finalEpochs());
        err.println("Run directory: " + directory);
        err.flush();
        TransferProgress progress = new TransferProgress(err, System.console() != null);
        ArchitectureTransfer.Outcome outcome;
        try {
            outcome = StopOnSignal.run(() -> stop.set(true), () -> transfer.run(progress), err, done -> {
                progress.end();
                if (done == ArchitectureTransfer.Outcome.STOPPED) {
                    out.println("Stopped at epoch " + transfer.epoch() + "; continue with: atnas transfer --resume " + directory);
                    out.flush();
                }
            });
            if (outcome == ArchitectureTransfer.Outcome.STOPPED) {
                return;
            }
            err.println("Testing " + transfer.population().individuals().get(0).code().format() + " on " + run.data().test().size() + " test images ...");
            err.flush();
            ArchitectureTransfer.Result result = transfer.test();
            out.println();
            out.println("Architecture transfer");
            out.println("  architecture:   " + result.code().format());
            out.printf(Locale.ROOT, "  test accuracy:  %.2f%% (95%% CI %.2f-%.2f%%, %,d images)%n", 100 * result.test().accuracy(), 100 * result.test().low(), 100 * result.test().high(),
                    result.test().images());
            out.printf(Locale.ROOT, "  parameters:     %,d%n", result.parameters());
            out.printf(Locale.ROOT, "  multiply-adds:  %,d per image%n", result.multiplyAdds());
            out.printf(Locale.ROOT, "  CPU minutes:    %.1f (epochs: %d, evolutions: %d)%n", result.cpuMinutes(), transfer.epoch(), transfer.evolution());
            out.println("  run directory:  " + directory);
            out.println("  plot:           atnas plot " + directory + " --output transfer.png");
        }
        finally {
            transfer.closeMetrics();
        }
    }

    /** One progress line: epoch, batch, loss, images per second and the ETA; a line per evolution. */
    static final class TransferProgress
            implements ArchitectureTransfer.Listener
    {
        private static final double TERMINAL_SECONDS = 1;
        private static final double LOG_SECONDS = 30;

        private final PrintWriter err;
        private final boolean terminal;
        private final long start = System.nanoTime();
        private double firstWork = -1;
        private long lastPrint;
        private boolean open;

        TransferProgress(PrintWriter err, boolean terminal)
        {
            this.err = err;
            this.terminal = terminal;
        }

        @Override
        public void batch(ArchitectureTransfer.BatchProgress progress)
        {
            long now = System.nanoTime();
            if (firstWork < 0) {
                firstWork = progress.workDone();
            }
            boolean last = progress.batch() == progress.batches();
            if (!last && (now - lastPrint) / 1e9 < (terminal ? TERMINAL_SECONDS : LOG_SECONDS)) {
                return;
            }
            lastPrint = now;
            double elapsed = (now - start) / 1e9;
            double done = progress.workDone() - firstWork;
            String eta = done <= 0 ? "?" : duration(elapsed / done * (1 - progress.workDone()));
            String line = String.format(Locale.ROOT, "epoch %d/%d  P=%d  batch %d/%d  loss %.3f  acc %.1f%%  %,.0f img/s  %.0f%% done  ETA %s", progress.epoch(), progress.epochs(),
                    progress.population(), progress.batch(), progress.batches(), progress.loss(), 100 * progress.accuracy(), progress.imagesPerSecond(), 100 * progress.workDone(), eta);
            if (terminal) {
                err.print("\r" + line + "   ");
                open = true;
            }
            else {
                err.println(line);
            }
            err.flush();
        }

        @Override
        public void evolution(int evolution, Population evaluated)
        {
            end();
            List<Individual> ranked = evaluated.ranked();
            err.printf(Locale.ROOT, "evolution %d: %d architectures, validation accuracy best %.2f%%, mean %.2f%%; halving%n", evolution, ranked.size(), 100 * ranked.get(0).requireFitness(),
                    100 * ranked.stream().mapToDouble(Individual::requireFitness).average().orElseThrow());
            err.flush();
        }

        @Override
        public void checkpoint(Path folder) {}

        void end()
        {
            if (open) {
                err.println();
                err.flush();
                open = false;
            }
        }

        private static String duration(double seconds)
        {
            long total = Math.round(seconds);
            return total >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", total / 3600, total / 60 % 60) : String.format(Locale.ROOT, "%dm%02ds", total / 60, total % 60);
        }
    }
}
