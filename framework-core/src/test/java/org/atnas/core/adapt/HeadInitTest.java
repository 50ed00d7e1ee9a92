package org.atnas.core.adapt;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HeadInitTest
{
    /** A meta-trained head of 2 classes and 3 channels. */
    private static final float[] WEIGHT = {1, 2, 3, 3, 4, 5};
    private static final float[] BIAS = {1, 3};

    @Test
    void zeroIsZeroForAnyNumberOfClasses()
    {
        float[][] head = HeadInit.ZERO.initialise(WEIGHT, BIAS, 4);
        assertThat(head[0]).hasSize(12).containsOnly(0f);
        assertThat(head[1]).hasSize(4).containsOnly(0f);
    }

    @Test
    void meanRowRepeatsTheMeanOfTheMetaTrainedRows()
    {
        float[][] head = HeadInit.MEAN_ROW.initialise(WEIGHT, BIAS, 3);
        assertThat(head[0]).containsExactly(2, 3, 4, 2, 3, 4, 2, 3, 4);
        assertThat(head[1]).containsExactly(2, 2, 2);
    }

    @Test
    void metaTrainedTakesTheFirstRowsAndRefusesMoreClassesThanItHas()
    {
        float[][] head = HeadInit.META_TRAINED.initialise(WEIGHT, BIAS, 2);
        assertThat(head[0]).containsExactly(WEIGHT);
        assertThat(head[1]).containsExactly(BIAS);
        assertThatThrownBy(() -> HeadInit.META_TRAINED.initialise(WEIGHT, BIAS, 3))
                .hasMessage("--head-init meta-trained needs at most 2 classes (the run's task.ways), the support set has 3");
    }

    @Test
    void keys()
    {
        assertThat(HeadInit.fromKey("--head-init", "mean-row")).isEqualTo(HeadInit.MEAN_ROW);
        assertThatThrownBy(() -> HeadInit.fromKey("--head-init", "random"))
                .hasMessage("Unknown value [random] for --head-init; expected one of zero, mean-row, meta-trained");
    }
}
