package org.atnas.backend.djl;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DjlPluginTest
{
    @Test
    void precisionIsAChoice()
    {
        assertThat(DjlPlugin.PRECISION.key()).isEqualTo("djl.precision");
        assertThat(DjlPlugin.PRECISION.type()).isEqualTo("one of [float32, float64]");
        assertThat(DjlPlugin.PRECISION.defaultValue()).contains("float32");
        assertThat(DjlPlugin.PRECISION.parse("float64")).isEqualTo("float64");
        assertThatThrownBy(() -> DjlPlugin.PRECISION.parse("float16")).hasMessage("one of [float32, float64]");
    }
}
