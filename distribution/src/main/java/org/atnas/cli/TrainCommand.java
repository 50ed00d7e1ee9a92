package org.atnas.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.atnas.core.Atnas;
import org.atnas.core.config.Configuration;
import org.atnas.core.search.Checkpoint;
import org.atnas.core.search.FinalTraining;
import org.atnas.core.search.SearchRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code atnas train}: the paper's final training of a search's architecture, then its test on meta-test tasks. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"The final training (Sec. 4.2): meta-trains a search's best architecture alone, then tests it on meta-test tasks.",
                "B_arch = 1 from the search's weights (or fresh ones, --from-scratch), or --code; a new run directory; Ctrl-C writes a checkpoint."})
final class TrainCommand
        implements Runnable
{
    @ParentCommand
    AtnasCommand parent;

    @Parameters(index = "0", arity = "0..1", paramLabel = "RUN_DIR", description = "The search's run directory.")
    Path source;

    @Option(names = "--resume", paramLabel = "TRAIN_DIR", description = "Continues a stopped final training from its latest checkpoint.")
    Path resume;

    @Option(names = "--code", paramLabel = "CODE", description = "Trains this architecture (a code, the space's notation or a name such as darts-v2) instead of the search's best measured one.")
    String code;

    @Option(names = "--steps", paramLabel = "N", description = "Meta-steps (sets train.steps; default 2000).")
    Integer steps;

    @Option(names = "--cpu-budget", paramLabel = "MIN", description = "CPU minutes the training may use (sets train.cpu-budget).")
    Double cpuBudget;

    @Option(names = "--from-scratch", description = "Starts from fresh weights instead of the search's meta-trained ones.")
    boolean fromScratch;

    @Option(names = "--tasks", defaultValue = "600", paramLabel = "N", description = "Meta-test tasks of the final evaluation (default: ${DEFAULT-VALUE}).")
    int tasks;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Overrides a key of the search's configuration, train.* keys included; repeatable.")
    List<String> overrides = new ArrayList<>();

    @Override
    public void run()
    {
        Launcher launcher = parent.launcher;
        if (tasks < 2) {
            throw new IllegalArgumentException("--tasks must be at least 2, got " + tasks);
        }
        if (resume != null) {
            if (source != null || code != null || steps != null || cpuBudget != null || fromScratch || !overrides.isEmpty()) {
                throw new IllegalArgumentException("--resume continues a final training with the settings it was started with; RUN_DIR, --code, --steps, --cpu-budget, --from-scratch and --set cannot be used with it");
            }
            Checkpoint checkpoint = Checkpoint.readLatest(resume);
            SearchRun run = SearchRun.prepare(Atnas.start(launcher.plugins(), Configuration.empty().with(checkpoint.configuration(), "checkpoint of " + resume), SearchRun.SERVICES));
            if (run.configuration().find(FinalTraining.SOURCE).isEmpty()) {
                throw new IllegalArgumentException("[" + resume + "] is a search, not a final training; continue it with atnas search --resume " + resume);
            }
            Training.resume(launcher, run, resume, checkpoint, tasks);
            return;
        }
        if (source == null) {
            throw new IllegalArgumentException("atnas train needs the search's run directory (RUN_DIR), or --resume TRAIN_DIR");
        }
        List<String> settings = new ArrayList<>(overrides);
        if (steps != null) {
            settings.add(FinalTraining.STEPS.key() + "=" + steps);
        }
        if (cpuBudget != null) {
            settings.add(FinalTraining.CPU_BUDGET.key() + "=" + cpuBudget);
        }
        Training.start(launcher, FinalTraining.prepare(launcher.plugins(), source, settings, Optional.ofNullable(code), fromScratch), tasks);
    }
}
