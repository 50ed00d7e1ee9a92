package org.atnas.core.study;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class StudentTTest
{
    @Test
    void quantilesMatchTheTables()
    {
        // two-sided 95% (the 0.975 quantile) from any t table
        assertThat(StudentT.quantile(1, 0.95)).isCloseTo(12.7062, within(1e-3));
        assertThat(StudentT.quantile(2, 0.95)).isCloseTo(4.3027, within(1e-4));
        assertThat(StudentT.quantile(4, 0.95)).isCloseTo(2.7764, within(1e-4));
        assertThat(StudentT.quantile(10, 0.95)).isCloseTo(2.2281, within(1e-4));
        assertThat(StudentT.quantile(30, 0.99)).isCloseTo(2.7500, within(1e-4));
        assertThat(StudentT.quantile(100_000, 0.95)).isCloseTo(1.95996, within(1e-4));
    }

    @Test
    void badArgumentsAreRefused()
    {
        assertThatThrownBy(() -> StudentT.quantile(0, 0.95)).hasMessage("degrees of freedom must be at least 1, got 0");
        assertThatThrownBy(() -> StudentT.quantile(3, 1.0)).hasMessage("confidence must be in (0, 1), got 1.0");
    }
}
