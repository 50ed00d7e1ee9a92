package org.atnas.api;

import java.nio.file.Path;

import org.atnas.api.plugin.Setting;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingTest
{
    @Test
    void parsesTypedValuesAndNamesTheExpectation()
    {
        Setting<Integer> cells = Setting.integer("darts.cells", 2, 1, 64, "cells");
        assertThat(cells.parse(" 8 ")).isEqualTo(8);
        assertThatThrownBy(() -> cells.parse("eight")).hasMessage("an integer from 1 to 64");
        assertThatThrownBy(() -> cells.parse("0")).hasMessage("an integer from 1 to 64");
        Setting<Double> fraction = Setting.decimal("ga.parent-fraction", 0.25, 0.01, 1.0, "t");
        assertThat(fraction.parse("0.5")).isEqualTo(0.5);
        assertThatThrownBy(() -> fraction.parse("NaN")).hasMessage("a number from 0.01 to 1.0");
        Setting<Boolean> flag = Setting.bool("x.flag", false, "a flag");
        assertThat(flag.parse("true")).isTrue();
        assertThatThrownBy(() -> flag.parse("yes")).hasMessage("true or false");
        assertThat(Setting.path("x.file", null, "a file").parse("a/b.csv")).isEqualTo(Path.of("a/b.csv"));
        assertThat(Setting.path("x.file", null, "a file").defaultValue()).isEmpty();
        assertThat(Setting.longInteger("seed", 0L, "seed").parse("-3")).isEqualTo(-3L);
    }

    @Test
    void keysAndDefaultsAreChecked()
    {
        assertThatThrownBy(() -> Setting.integer("Darts.Cells", 2, 1, 64, "cells"))
                .hasMessage("Setting key [Darts.Cells] must be dot-separated words of lower case letters, digits and dashes");
        assertThatThrownBy(() -> Setting.integer("darts.cells", 0, 1, 64, "cells"))
                .hasMessage("Default [0] of setting [darts.cells] is not an integer from 1 to 64");
    }
}
