package org.atnas.core.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.atnas.api.ArchitectureCode;
import org.atnas.api.ImageShape;
import org.atnas.api.SearchSpace;
import org.atnas.api.network.Cell;
import org.atnas.api.network.NetworkDescription;
import org.atnas.core.Progress;
import org.atnas.core.run.AtomicFiles;

import static java.util.Objects.requireNonNull;

/**
 * Writes architectures for people and other tools: for each, in {@code <folder>/architecture-N/},
 * {@code code.txt}, {@code genotype.txt}, and a picture of every distinct cell as SVG and PNG; and
 * {@code <folder>/architectures.json} with code, genotype, fitness, parameters and multiply-adds of
 * the network the run's supernet would build for it. Every file is written atomically.
 */
public final class ArchitectureExport
{
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * One architecture to export.
     *
     * @param code the architecture
     * @param fitness its meta-val fitness, if evaluated
     */
    public record Entry(ArchitectureCode code, Optional<Double> fitness)
    {
        public Entry
        {
            requireNonNull(code, "code is null");
            requireNonNull(fitness, "fitness is null");
        }
    }

    /**
     * What was written for one architecture.
     *
     * @param code the architecture
     * @param folder its folder
     * @param parameters trainable parameters of its network
     * @param multiplyAdds multiply-adds of one forward pass of one image
     * @param pictures the SVG pictures, one per distinct cell
     */
    public record Exported(ArchitectureCode code, Path folder, long parameters, long multiplyAdds, List<Path> pictures) {}

    private final SearchSpace space;
    private final ImageShape input;
    private final int classes;

    /**
     * @param space the space the codes belong to
     * @param input the input shape of the run's networks
     * @param classes N, the classes of the run's tasks
     */
    public ArchitectureExport(SearchSpace space, ImageShape input, int classes)
    {
        this.space = requireNonNull(space, "space is null");
        this.input = requireNonNull(input, "input is null");
        if (classes < 2) {
            throw new IllegalArgumentException("classes must be at least 2, got " + classes);
        }
        this.classes = classes;
    }

    /** An entry of {@code architectures.json}; the fitness is the measured one, absent when there is none. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Described(int rank, String code, String genotype, Double fitness, List<Integer> input, int classes, long parameters, long multiplyAdds, List<DescribedCell> cells) {}

    /** A cell of an {@code architectures.json} entry: its edges and its pictures, relative to the export folder. */
    record DescribedCell(String cell, List<String> edges, String svg, String png) {}

    /** Writes {@code entries} (best first) into {@code folder}, created if missing; returns what was written for each. */
    public List<Exported> write(Path folder, List<Entry> entries)
    {
        return write(folder, entries, Progress.NONE);
    }

    /** As {@link #write(Path, List)}, reporting each written architecture to {@code progress}. */
    public List<Exported> write(Path folder, List<Entry> entries, Progress progress)
    {
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("Nothing to export: no architectures");
        }
        List<Exported> exported = new ArrayList<>();
        List<Described> manifest = new ArrayList<>();
        for (int rank = 1; rank <= entries.size(); rank++) {
            Entry entry = entries.get(rank - 1);
            space.validate(entry.code());
            NetworkDescription network = space.describe(entry.code(), input, classes);
            Path target = folder.resolve("architecture-" + rank);
            String genotype = space.toNotation(entry.code());
            AtomicFiles.writeString(target.resolve("code.txt"), entry.code().format() + "\n");
            AtomicFiles.writeString(target.resolve("genotype.txt"), genotype + "\n");
            List<Path> pictures = new ArrayList<>();
            List<DescribedCell> cells = new ArrayList<>();
            for (Map.Entry<String, Cell> cell : distinctCells(network).entrySet()) {
                CellPicture picture = new CellPicture(cell.getValue(), cell.getKey() + " cell (architecture " + rank + ")");
                Path svg = target.resolve(cell.getKey() + ".svg");
                AtomicFiles.write(svg, picture.toSvg().getBytes(StandardCharsets.UTF_8));
                AtomicFiles.write(target.resolve(cell.getKey() + ".png"), picture.toPng());
                pictures.add(svg);
                cells.add(new DescribedCell(cell.getKey(), picture.edgeLabels(), folder.relativize(svg).toString(), folder.relativize(target.resolve(cell.getKey() + ".png")).toString()));
            }
            manifest.add(new Described(rank, entry.code().format(), genotype, entry.fitness().orElse(null), List.of(input.channels(), input.height(), input.width()), classes,
                    network.parameterCount(), network.multiplyAdds(), cells));
            exported.add(new Exported(entry.code(), target, network.parameterCount(), network.multiplyAdds(), pictures));
            progress.update(rank, entries.size());
        }
        try {
            AtomicFiles.write(folder.resolve("architectures.json"), JSON.writeValueAsBytes(manifest));
        }
        catch (IOException e) {
            throw new UncheckedIOException("Could not write " + folder.resolve("architectures.json"), e);
        }
        return exported;
    }

    /**
     * The distinct cells of a network, by kind: cells with the same edges and ops (a space that
     * shares genes between cells, or a code that repeats them) get one picture. Names are
     * {@code normal} and {@code reduction}, numbered from 2 for further different ones.
     */
    static Map<String, Cell> distinctCells(NetworkDescription network)
    {
        Map<String, Cell> cells = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (Cell cell : network.cells()) {
            if (!seen.add(cell.reduction() + " " + cell.inputOffsets() + " " + structure(cell))) {
                continue;
            }
            String kind = cell.reduction() ? "reduction" : "normal";
            String name = kind;
            for (int n = 2; cells.containsKey(name); n++) {
                name = kind + "-" + n;
            }
            cells.put(name, cell);
        }
        return cells;
    }

    /** Edges and op names of a cell, without channels or parameter names (which differ between copies). */
    private static String structure(Cell cell)
    {
        StringBuilder text = new StringBuilder();
        cell.nodes().forEach(node -> node.edges().forEach(edge -> text.append(edge.from()).append(':').append(CellPicture.opName(edge.op())).append(' ')));
        return text.append(cell.outputNodes()).toString();
    }
}
