package org.atnas.core.export;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.atnas.api.ArchitectureCode;
import org.atnas.api.ImageShape;
import org.atnas.api.network.NetworkDescription;
import org.atnas.searchspace.darts.DartsSearchSpace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArchitectureExportTest
{
    /** The DARTS-V2 cells (the meta-step benchmark's subnet). */
    private static final ArchitectureCode DARTS_V2 = ArchitectureCode.parse("4,4,4,4,0,3,4,0,0,3,0,6,0,0,1,1,0,1,3,1,0,3,0,0,1,3,0,0");
    private static final ImageShape INPUT = new ImageShape(1, 28, 28);

    @Test
    void theCellPicturesLabelEveryEdgeWithItsOp()
    {
        NetworkDescription network = new DartsSearchSpace(2, 16, 3).describe(DARTS_V2, INPUT, 5);
        var cells = ArchitectureExport.distinctCells(network);
        assertThat(cells).containsOnlyKeys("normal", "reduction");
        // in code order: two edges per intermediate node, inputs ascending
        assertThat(new CellPicture(cells.get("normal"), "normal").edgeLabels()).containsExactly(
                "sep_conv_3x3", "sep_conv_3x3", "sep_conv_3x3", "sep_conv_3x3", "skip_connect", "sep_conv_3x3", "skip_connect", "dil_conv_3x3");
        // a skip from a reduction cell's input is a factorized reduce, still drawn as skip_connect
        assertThat(new CellPicture(cells.get("reduction"), "reduction").edgeLabels()).containsExactly(
                "max_pool_3x3", "max_pool_3x3", "max_pool_3x3", "skip_connect", "max_pool_3x3", "skip_connect", "max_pool_3x3", "skip_connect");
    }

    @Test
    void identicalCellsArePicturedOnceAndDifferentOnesEach()
    {
        DartsSearchSpace space = new DartsSearchSpace(8, 16, 3);
        String normal = "4,4,4,4,0,3,4,0,0,3,0,6,0,0";
        String reduction = "1,1,0,1,3,1,0,3,0,0,1,3,0,0";
        List<String> cells = new java.util.ArrayList<>();
        for (int cell = 0; cell < 8; cell++) {
            cells.add(space.isReduction(cell) ? reduction : normal);
        }
        NetworkDescription repeated = space.describe(ArchitectureCode.parse(String.join(",", cells)), INPUT, 5);
        assertThat(repeated.cells()).hasSize(8);
        assertThat(ArchitectureExport.distinctCells(repeated)).containsOnlyKeys("normal", "reduction");
        // each cell has genes of its own: a different last normal cell gets a picture of its own
        cells.set(7, "3,3,4,4,0,3,4,0,0,3,0,6,0,0");
        NetworkDescription varied = space.describe(ArchitectureCode.parse(String.join(",", cells)), INPUT, 5);
        assertThat(ArchitectureExport.distinctCells(varied)).containsOnlyKeys("normal", "reduction", "normal-2");
    }

    @Test
    void noEdgePassesThroughANodeItDoesNotJoin()
    {
        DartsSearchSpace space = new DartsSearchSpace(2, 16, 3);
        java.util.SplittableRandom random = new java.util.SplittableRandom(18);
        List<ArchitectureCode> codes = new java.util.ArrayList<>(List.of(DARTS_V2));
        for (int i = 0; i < 200; i++) {
            codes.add(space.sample(random));
        }
        for (ArchitectureCode code : codes) {
            for (var cell : space.describe(code, INPUT, 5).cells()) {
                CellPicture picture = new CellPicture(cell, "cell");
                for (CellPicture.EdgeMark edge : picture.edges()) {
                    // a c_{k-1} -> 2 edge bunched with the others used to run straight through node 0
                    assertThat(edge.clearance(picture.nodes())).as(code + ": " + edge.from().label() + " -> " + edge.to().label()).isGreaterThanOrEqualTo(CellPicture.CLEARANCE);
                }
            }
        }
    }

    @Test
    void svgAndPngShowTheSameDrawing()
            throws IOException
    {
        NetworkDescription network = new DartsSearchSpace(2, 16, 3).describe(DARTS_V2, INPUT, 5);
        CellPicture picture = new CellPicture(network.cells().get(0), "normal cell <1>");
        String svg = picture.toSvg();
        // 2 inputs, 4 intermediate nodes, the output; 8 op edges and 4 edges into the concatenation
        assertThat(count(svg, "<circle ")).isEqualTo(7);
        assertThat(count(svg, "<path ")).isEqualTo(12);
        assertThat(count(svg, "stroke-dasharray")).isEqualTo(4);
        // every edge, op or concatenation, ends in an arrowhead
        assertThat(count(svg, "<polygon class=\"arrowhead\"")).isEqualTo(12);
        assertThat(count(svg, ">sep_conv_3x3</text>")).isEqualTo(5);
        assertThat(svg).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + picture.width() + "\" height=\"" + picture.height() + "\"")
                .contains(">normal cell &lt;1&gt;</text>", ">c_{k-2}</text>", ">c_{k-1}</text>", ">c_{k}</text>");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(picture.toPng()));
        assertThat(image.getWidth()).isEqualTo(picture.width());
        assertThat(image.getHeight()).isEqualTo(picture.height());
        // the label boxes and the nodes lie inside the picture
        for (String coordinate : List.of("cx", "x")) {
            Pattern pattern = Pattern.compile(" " + coordinate + "=\"(-?[0-9.]+)\"");
            pattern.matcher(svg).results().map(match -> Double.parseDouble(match.group(1))).forEach(value -> assertThat(value).isBetween(0.0, (double) picture.width()));
        }
    }

    @Test
    void writesCodeGenotypeJsonAndPictures(@TempDir Path folder)
            throws IOException
    {
        DartsSearchSpace space = new DartsSearchSpace(2, 16, 3);
        ArchitectureCode other = space.sample(new java.util.SplittableRandom(3));
        List<ArchitectureExport.Exported> exported = new ArchitectureExport(space, INPUT, 5)
                .write(folder, List.of(new ArchitectureExport.Entry(DARTS_V2, Optional.of(0.75)), new ArchitectureExport.Entry(other, Optional.empty())));
        assertThat(exported).hasSize(2);
        // the PyTorch peer of the meta-step benchmark counts 11,557 parameters for this network
        assertThat(exported.get(0).parameters()).isEqualTo(11_557);
        assertThat(exported.get(0).pictures()).containsExactly(folder.resolve("architecture-1/normal.svg"), folder.resolve("architecture-1/reduction.svg"));
        Path first = folder.resolve("architecture-1");
        assertThat(Files.readString(first.resolve("code.txt"))).isEqualTo(DARTS_V2.format() + "\n");
        assertThat(space.fromNotation(Files.readString(first.resolve("genotype.txt")).strip())).isEqualTo(DARTS_V2);
        try (var files = Files.list(first)) {
            assertThat(files.map(path -> path.getFileName().toString()).sorted()).containsExactly("code.txt", "genotype.txt", "normal.png", "normal.svg", "reduction.png", "reduction.svg");
        }
        JsonNode json = new ObjectMapper().readTree(folder.resolve("architectures.json").toFile());
        assertThat(json.size()).isEqualTo(2);
        assertThat(json.get(0).get("rank").asInt()).isEqualTo(1);
        assertThat(json.get(0).get("code").asText()).isEqualTo(DARTS_V2.format());
        assertThat(json.get(0).get("fitness").asDouble()).isEqualTo(0.75);
        assertThat(json.get(0).get("parameters").asLong()).isEqualTo(11_557);
        assertThat(json.get(0).get("multiplyAdds").asLong()).isEqualTo(space.describe(DARTS_V2, INPUT, 5).multiplyAdds());
        assertThat(json.get(0).get("cells").get(1).get("png").asText()).isEqualTo("architecture-1/reduction.png");
        assertThat(json.get(1).has("fitness")).isFalse();
        assertThat(json.get(1).get("code").asText()).isEqualTo(other.format());
    }

    @Test
    void refusesInvalidCodesAndEmptyLists(@TempDir Path folder)
    {
        ArchitectureExport export = new ArchitectureExport(new DartsSearchSpace(2, 16, 3), INPUT, 5);
        assertThatThrownBy(() -> export.write(folder, List.of()))
                .hasMessage("Nothing to export: no architectures");
        assertThatThrownBy(() -> export.write(folder, List.of(new ArchitectureExport.Entry(ArchitectureCode.parse(String.join(",", Collections.nCopies(28, "0"))), Optional.empty()))))
                .hasMessage("Invalid DARTS code: cell 0, node 0 (edges 0-1) has 0 non-zero incoming edges [], expected exactly 2");
    }

    private static int count(String text, String part)
    {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }
}
