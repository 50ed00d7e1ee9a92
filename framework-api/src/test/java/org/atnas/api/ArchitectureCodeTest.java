package org.atnas.api;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArchitectureCodeTest
{
    @Test
    void textRoundTrip()
    {
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 2_000; i++) {
            int[] values = random.ints(1 + random.nextInt(120), 0, 12).toArray();
            ArchitectureCode code = ArchitectureCode.of(values);
            assertThat(ArchitectureCode.parse(code.format())).isEqualTo(code);
            assertThat(code.toArray()).containsExactly(values);
        }
        assertThat(ArchitectureCode.parse(" 4, 4 ,0").format()).isEqualTo("4,4,0");
    }

    @Test
    void parseErrorsNamePositionAndValue()
    {
        assertThatThrownBy(() -> ArchitectureCode.parse("4,4,x,0"))
                .hasMessage("Invalid architecture code [4,4,x,0]: position 2 holds [x], expected a non-negative integer");
        assertThatThrownBy(() -> ArchitectureCode.parse("4,-1"))
                .hasMessage("Invalid architecture code [4,-1]: position 1 holds [-1], expected a non-negative integer");
        assertThatThrownBy(() -> ArchitectureCode.parse("4,,1"))
                .hasMessage("Invalid architecture code [4,,1]: position 1 holds [], expected a non-negative integer");
        assertThatThrownBy(() -> ArchitectureCode.parse("4,+1"))
                .hasMessage("Invalid architecture code [4,+1]: position 1 holds [+1], expected a non-negative integer");
        assertThatThrownBy(() -> ArchitectureCode.parse(" "))
                .hasMessage("Invalid architecture code []: it is empty, expected comma-separated non-negative integers");
        assertThatThrownBy(() -> ArchitectureCode.of(1, -2))
                .hasMessage("Invalid architecture code: position 1 holds [-2], expected a non-negative integer");
    }

    @Test
    void immutable()
    {
        int[] values = {1, 2, 3};
        ArchitectureCode code = ArchitectureCode.of(values);
        values[0] = 9;
        code.toArray()[1] = 9;
        assertThat(code.format()).isEqualTo("1,2,3");
        assertThat(code.with(new int[] {0, 2}, new int[] {7, 8}).format()).isEqualTo("7,2,8");
        assertThat(code.format()).isEqualTo("1,2,3");
    }

    @Test
    void populationRanksBestFirstAndKeepsOrderOnTies()
    {
        Individual a = Individual.evaluated(ArchitectureCode.parse("1"), 0.5);
        Individual b = Individual.evaluated(ArchitectureCode.parse("2"), 0.9);
        Individual c = Individual.evaluated(ArchitectureCode.parse("3"), 0.5);
        Population population = new Population(List.of(a, b, c));
        assertThat(population.ranked()).containsExactly(b, a, c);
        assertThat(population.best()).isEqualTo(b);
        assertThat(population.individuals()).containsExactly(a, b, c);
        assertThatThrownBy(() -> Population.ofCodes(List.of(ArchitectureCode.parse("1"))).best())
                .hasMessage("Individual 1 has not been evaluated");
        assertThatThrownBy(() -> Individual.evaluated(ArchitectureCode.parse("1"), Double.NaN))
                .hasMessage("Fitness of 1 must be a finite number, got NaN");
    }

    @Test
    void batchesAndTasksCheckTheirShapes()
    {
        ImageShape shape = new ImageShape(1, 2, 2);
        ImageBatch batch = new ImageBatch(shape, new float[8], new int[] {0, 1});
        assertThat(batch.size()).isEqualTo(2);
        assertThatThrownBy(() -> new ImageBatch(shape, new float[7], new int[] {0, 1}))
                .hasMessage("A batch of 2 images of shape 1x2x2 needs 8 pixels, got 7");
        assertThatThrownBy(() -> new Task(2, batch, new ImageBatch(shape, new float[4], new int[] {2}), 7))
                .hasMessage("The query set holds label 2, but a 2-way task has labels 0..1");
        assertThatThrownBy(() -> new Task(2, batch, new ImageBatch(new ImageShape(3, 2, 2), new float[12], new int[] {1}), 7))
                .hasMessage("Support images are 1x2x2 but query images are 3x2x2");
        assertThatThrownBy(() -> new ImageShape(0, 28, 28))
                .hasMessage("Image shape must be positive in every dimension, got 0x28x28");
    }

    @Test
    void innerLoopAndMetaUpdateSettings()
    {
        assertThatThrownBy(() -> new InnerLoop(0, 0.01)).hasMessage("Inner steps must be at least 1, got 0");
        assertThatThrownBy(() -> new InnerLoop(5, -0.1)).hasMessage("Inner learning rate must be a positive number, got -0.1");
        assertThat(MetaUpdate.adam(0.001)).isEqualTo(new MetaUpdate(0.001, 0.9, 0.999, 1e-8));
    }
}
