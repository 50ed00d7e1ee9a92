package org.atnas.conformance;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.atnas.api.ArchitectureCode;
import org.atnas.api.Gene;
import org.atnas.api.ImageShape;
import org.atnas.api.InvalidArchitectureException;
import org.atnas.api.SearchSpace;
import org.atnas.api.network.NetworkDescription;
import org.atnas.api.network.ParameterSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link SearchSpace} must do, checked through the API only: a space's test extends
 * this class and implements {@link #createSearchSpace}. Genes cover every position exactly once;
 * sampling is valid and the same for the same seed; the gene contract holds (a gene re-drawn with
 * {@link SearchSpace#sampleGene}, or swapped whole between two valid codes, leaves a valid code);
 * codes of the wrong length or with a value out of range are refused with
 * {@link InvalidArchitectureException}s that name the length and the position; the notation reads
 * back; a subnet's description uses only parameters of the supernet's, with the same shapes, and
 * is the same for the same code; named architectures are valid.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class SearchSpaceConformance
{
    private static final int SAMPLES = 200;

    private SearchSpace space;

    /** The search space under test, as its factory makes it with default settings. */
    protected abstract SearchSpace createSearchSpace();

    /** The input the kit describes networks for: 28×28 grey images by default. */
    protected ImageShape input()
    {
        return new ImageShape(1, 28, 28);
    }

    @BeforeAll
    final void createSpace()
    {
        space = createSearchSpace();
    }

    private List<ArchitectureCode> samples(long seed, int count)
    {
        SplittableRandom random = new SplittableRandom(seed);
        List<ArchitectureCode> codes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            codes.add(space.sample(random));
        }
        return codes;
    }

    @Test
    void nameIsAConfigurationWord()
    {
        assertThat(space.name()).matches("[a-z0-9]+(-[a-z0-9]+)*");
    }

    @Test
    void genesCoverEveryPositionExactlyOnce()
    {
        int[] covered = new int[space.codeLength()];
        for (Gene gene : space.genes()) {
            for (int position : gene.positions()) {
                assertThat(position).as("position of gene %s", gene.name()).isBetween(0, space.codeLength() - 1);
                covered[position]++;
            }
        }
        for (int position = 0; position < covered.length; position++) {
            assertThat(covered[position]).as("genes covering position %s", position).isEqualTo(1);
        }
    }

    @Test
    void everyValueOfEveryPositionHasAName()
    {
        for (int position = 0; position < space.codeLength(); position++) {
            assertThat(space.choices(position)).as("choices at position %s", position).isPositive();
            for (int value = 0; value < space.choices(position); value++) {
                assertThat(space.optionName(position, value)).as("name of value %s at position %s", value, position).isNotBlank();
            }
        }
    }

    @Test
    void samplesAreValidAndTheSameForTheSameSeed()
    {
        List<ArchitectureCode> codes = samples(1, SAMPLES);
        for (ArchitectureCode code : codes) {
            assertThat(code.length()).isEqualTo(space.codeLength());
            assertThat(space.isValid(code)).as("%s is valid", code).isTrue();
        }
        assertThat(samples(1, SAMPLES)).isEqualTo(codes);
        assertThat(samples(2, SAMPLES)).as("samples of another seed").isNotEqualTo(codes);
    }

    @Test
    void aGeneDrawnAnewLeavesACodeValid()
    {
        SplittableRandom random = new SplittableRandom(3);
        List<Gene> genes = space.genes();
        for (ArchitectureCode code : samples(3, SAMPLES / 4)) {
            for (int g = 0; g < genes.size(); g++) {
                int[] values = space.sampleGene(g, random);
                assertThat(values).as("values of gene %s", genes.get(g).name()).hasSize(genes.get(g).positions().length);
                ArchitectureCode changed = code.with(genes.get(g).positions(), values);
                assertThat(space.isValid(changed)).as("%s with gene %s drawn anew", code, genes.get(g).name()).isTrue();
            }
        }
        assertThat(space.sampleGene(0, new SplittableRandom(4))).isEqualTo(space.sampleGene(0, new SplittableRandom(4)));
    }

    @Test
    void genesSwappedBetweenValidCodesLeaveThemValid()
    {
        List<ArchitectureCode> first = samples(5, SAMPLES / 4);
        List<ArchitectureCode> second = samples(6, SAMPLES / 4);
        for (int i = 0; i < first.size(); i++) {
            for (Gene gene : space.genes()) {
                ArchitectureCode child = first.get(i).with(gene.positions(), gene.valuesIn(second.get(i)));
                assertThat(space.isValid(child)).as("%s with gene %s of %s", first.get(i), gene.name(), second.get(i)).isTrue();
            }
        }
    }

    @Test
    void aCodeOfTheWrongLengthIsRefusedNamingBothLengths()
    {
        int[] longer = new int[space.codeLength() + 1];
        ArchitectureCode code = ArchitectureCode.of(longer);
        assertThat(space.isValid(code)).isFalse();
        assertThatThrownBy(() -> space.validate(code))
                .isInstanceOf(InvalidArchitectureException.class)
                .hasMessageContaining(String.valueOf(space.codeLength()))
                .hasMessageContaining(String.valueOf(longer.length));
    }

    @Test
    void aValueOutOfRangeIsRefusedNamingTheValue()
    {
        ArchitectureCode valid = samples(7, 1).get(0);
        for (int position = 0; position < space.codeLength(); position++) {
            int tooLarge = space.choices(position);
            ArchitectureCode code = valid.with(new int[] {position}, new int[] {tooLarge});
            assertThat(space.isValid(code)).as("%s with value %s at position %s", valid, tooLarge, position).isFalse();
            assertThatThrownBy(() -> space.validate(code)).as("position %s", position)
                    .isInstanceOf(InvalidArchitectureException.class)
                    .hasMessageContaining(String.valueOf(tooLarge));
        }
    }

    @Test
    void theNotationReadsBack()
    {
        for (ArchitectureCode code : samples(8, SAMPLES)) {
            String notation = space.toNotation(code);
            assertThat(space.fromNotation(notation)).as(notation).isEqualTo(code);
        }
        ArchitectureCode invalid = ArchitectureCode.of(new int[space.codeLength() + 1]);
        assertThatThrownBy(() -> space.toNotation(invalid)).isInstanceOf(InvalidArchitectureException.class);
        assertThatThrownBy(() -> space.fromNotation("no such notation")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSubnetUsesOnlyParametersOfTheSupernetWithTheirShapes()
    {
        int classes = 5;
        NetworkDescription supernet = space.describeSupernet(input(), classes);
        assertThat(supernet.input()).isEqualTo(input());
        assertThat(supernet.classes()).isEqualTo(classes);
        Map<String, ParameterSpec> shared = new HashMap<>();
        supernet.parameters().forEach(parameter -> shared.put(parameter.name(), parameter));
        for (ArchitectureCode code : samples(9, 20)) {
            NetworkDescription subnet = space.describe(code, input(), classes);
            assertThat(subnet.input()).isEqualTo(input());
            assertThat(subnet.classes()).isEqualTo(classes);
            assertThat(subnet.parameterCount()).as("parameters of %s", code).isPositive().isLessThanOrEqualTo(supernet.parameterCount());
            for (ParameterSpec parameter : subnet.parameters()) {
                assertThat(shared).as("the supernet's parameters, for %s of %s", parameter.name(), code).containsKey(parameter.name());
                assertThat(parameter.shape()).as("%s of %s", parameter.name(), code).isEqualTo(shared.get(parameter.name()).shape());
            }
            assertThat(space.describe(code, input(), classes)).as("%s described twice", code).isEqualTo(subnet);
        }
        ArchitectureCode invalid = ArchitectureCode.of(new int[space.codeLength() + 1]);
        assertThatThrownBy(() -> space.describe(invalid, input(), classes)).isInstanceOf(InvalidArchitectureException.class);
    }

    @Test
    void namedArchitecturesAreValid()
    {
        space.namedArchitectures().forEach((name, code) -> {
            assertThat(name).matches("[a-z0-9]+(-[a-z0-9]+)*");
            assertThat(space.isValid(code)).as("named architecture %s", name).isTrue();
        });
    }
}
