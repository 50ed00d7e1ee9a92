package org.atnas.searchspace.nasbench201;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The accuracy columns of {@code nats_bench_tss.csv}. */
public enum TableMetric
{
    CIFAR10("cifar10", "CIFAR10TestAccuracy200Epochs"),
    CIFAR100("cifar100", "CIFAR100TestAccuracy200Epochs"),
    IMAGENET16("imagenet16-120", "ImageNetTestAccuracy200Epochs");

    static final List<String> NAMES = Arrays.stream(values()).map(TableMetric::configName).toList();

    private final String configName;
    private final String column;

    TableMetric(String configName, String column)
    {
        this.configName = configName;
        this.column = column;
    }

    public String configName()
    {
        return configName;
    }

    String column()
    {
        return column;
    }

    public static Optional<TableMetric> fromConfigName(String name)
    {
        return Arrays.stream(values()).filter(metric -> metric.configName.equals(name)).findFirst();
    }
}
