package org.atnas.api;

import java.nio.file.Path;
import java.util.List;

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

    @Test
    void aChoiceListsItsValuesInTypeAndError()
    {
        Setting<String> method = Setting.oneOf("search.method", "atnas", List.of("atnas", "random", "fixed"), "the method");
        assertThat(method.type()).isEqualTo("one of [atnas, random, fixed]");
        assertThat(method.choices()).containsExactly("atnas", "random", "fixed");
        assertThat(method.defaultValue()).contains("atnas");
        assertThat(method.parse(" random ")).isEqualTo("random");
        assertThatThrownBy(() -> method.parse("Random")).hasMessage("one of [atnas, random, fixed]");
        assertThatThrownBy(() -> method.parse("")).hasMessage("one of [atnas, random, fixed]");
        assertThat(Setting.oneOf("x.mode", null, List.of("a", "b"), "a mode").defaultValue()).isEmpty();
        assertThat(Setting.integer("darts.cells", 2, 1, 64, "cells").choices()).isEmpty();
    }

    @Test
    void aChoiceChecksItsDefaultAndValues()
    {
        assertThatThrownBy(() -> Setting.oneOf("djl.precision", "float16", List.of("float32", "float64"), "precision"))
                .hasMessage("Default [float16] of setting [djl.precision] is not one of [float32, float64]");
        assertThatThrownBy(() -> Setting.oneOf("x.mode", null, List.of(), "a mode"))
                .hasMessage("Setting [x.mode] offers no choice");
        assertThatThrownBy(() -> Setting.oneOf("x.mode", "a", List.of("a", "a"), "a mode"))
                .hasMessage("Setting [x.mode] lists a choice twice: [a, a]");
        assertThatThrownBy(() -> Setting.oneOf("x.mode", "a", List.of("a", "b c"), "a mode"))
                .hasMessage("Choice [b c] of setting [x.mode] must be a word without blanks");
        assertThatThrownBy(() -> Setting.oneOf("X.Mode", "a", List.of("a"), "a mode"))
                .hasMessage("Setting key [X.Mode] must be dot-separated words of lower case letters, digits and dashes");
    }
}
