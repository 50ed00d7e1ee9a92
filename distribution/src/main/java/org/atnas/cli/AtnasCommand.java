package org.atnas.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code atnas}: the top-level command. */
@Command(name = "atnas",
        mixinStandardHelpOptions = true,
        versionProvider = AtnasCommand.Version.class,
        description = "Across-Task Neural Architecture Search (AT-NAS) on the JVM.",
        subcommands = {PluginsCommand.class, DistCommand.class, ConfigCommand.class, DataCommand.class, SearchCommand.class, TrainCommand.class, TransferCommand.class, StudyCommand.class, ShellCommand.class, EvaluateCommand.class, AdaptCommand.class, PredictCommand.class, ExportCommand.class, PlotCommand.class, BenchCommand.class, WorkerCommand.class})
final class AtnasCommand
        implements Runnable
{
    final Launcher launcher;

    @Spec
    CommandSpec spec;

    AtnasCommand(Launcher launcher)
    {
        this.launcher = launcher;
    }

    @Option(names = "--runtime", paramLabel = "RUNTIME",
            description = "Where plugins run: classloader (a class loader per plugin folder; the default) or osgi (a bundle per plugin folder in an embedded Apache Felix framework).")
    void runtime(String runtime)
    {
        switch (runtime) {
            case "classloader" -> launcher.useOsgi(false);
            case "osgi" -> launcher.useOsgi(true);
            default -> throw new ParameterException(spec.commandLine(), "Unknown runtime [" + runtime + "] for --runtime; known: [classloader, osgi]");
        }
    }

    @Override
    public void run()
    {
        throw new ParameterException(spec.commandLine(), "Missing command: try atnas --help");
    }

    static final class Version
            implements IVersionProvider
    {
        @Override
        public String[] getVersion()
        {
            return new String[] {Launcher.version()};
        }
    }
}
