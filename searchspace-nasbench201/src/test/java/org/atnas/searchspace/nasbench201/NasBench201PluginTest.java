package org.atnas.searchspace.nasbench201;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NasBench201PluginTest
{
    @Test
    void metricIsAChoiceOfTheTablesColumns()
    {
        assertThat(NasBench201Plugin.METRIC.type()).isEqualTo("one of [cifar10, cifar100, imagenet16-120]");
        assertThat(NasBench201Plugin.METRIC.choices()).containsExactlyElementsOf(TableMetric.NAMES);
        assertThat(NasBench201Plugin.METRIC.defaultValue()).contains("cifar10");
        assertThatThrownBy(() -> NasBench201Plugin.METRIC.parse("imagenet")).hasMessage("one of [cifar10, cifar100, imagenet16-120]");
    }
}
