package org.atnas.backend.nd4j;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Nd4jPluginTest
{
    @Test
    void precisionIsAChoice()
    {
        assertThat(Nd4jPlugin.PRECISION.key()).isEqualTo("nd4j.precision");
        assertThat(Nd4jPlugin.PRECISION.type()).isEqualTo("one of [float32, float64]");
        assertThat(Nd4jPlugin.PRECISION.defaultValue()).contains("float32");
        assertThat(Nd4jPlugin.PRECISION.parse("float64")).isEqualTo("float64");
        assertThatThrownBy(() -> Nd4jPlugin.PRECISION.parse("float16")).hasMessage("one of [float32, float64]");
    }

    @Test
    void theExecutorIsEagerUnlessSameDiffIsChosen()
    {
        assertThat(Nd4jPlugin.EXECUTOR.key()).isEqualTo("nd4j.executor");
        assertThat(Nd4jPlugin.EXECUTOR.defaultValue()).contains("eager");
        assertThat(Nd4jPlugin.EXECUTOR.parse("samediff")).isEqualTo("samediff");
        assertThatThrownBy(() -> Nd4jPlugin.EXECUTOR.parse("graph")).hasMessage("one of [eager, samediff]");
    }
}
