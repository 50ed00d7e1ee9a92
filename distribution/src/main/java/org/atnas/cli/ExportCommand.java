package org.atnas.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.atnas.core.export.ArchitectureExport;
import org.atnas.core.search.Checkpoint;
import org.atnas.core.search.SearchRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code atnas export}: a search's best architectures as code, genotype, JSON and cell pictures. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Exports a search's best architecture(s) with pictures of their cells.",
                "Writes the code, the genotype, architectures.json (with parameters and multiply-adds) and a picture of every cell",
                "as SVG and PNG into RUN_DIR/export (or --output)."})
final class ExportCommand
        implements Runnable
{
    @ParentCommand
    AtnasCommand parent;

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A search's run directory.")
    Path runDirectory;

    @Option(names = "--top", defaultValue = "1", paramLabel = "N", description = "How many of the population's best measured architectures to export (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--output", paramLabel = "DIR", description = "Where to write (default: RUN_DIR/export).")
    Path output;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Overrides a key of the run's configuration (for example data.path when the data moved); repeatable.")
    List<String> overrides = new ArrayList<>();

    @Override
    public void run()
    {
        if (top < 1) {
            throw new IllegalArgumentException("--top must be at least 1, got " + top);
        }
        Checkpoint checkpoint = Checkpoint.readLatest(runDirectory);
        SearchRun run = SearchRun.ofCheckpoint(parent.launcher.plugins(), runDirectory, checkpoint, overrides);
        List<ArchitectureExport.Exported> exported = run.export(checkpoint, top, output != null ? output : runDirectory.resolve("export"), ProgressLine.of(parent.launcher, "architectures exported"));
        PrintWriter out = parent.launcher.out();
        for (int i = 0; i < exported.size(); i++) {
            ArchitectureExport.Exported written = exported.get(i);
            out.printf(Locale.ROOT, "%d. %s%n   %,d parameters, %,d multiply-adds per image; %s%n", i + 1, written.code(), written.parameters(), written.multiplyAdds(), written.folder());
        }
    }
}
