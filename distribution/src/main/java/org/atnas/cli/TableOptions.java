package org.atnas.cli;

import java.nio.file.Path;

import picocli.CommandLine.Option;

/** {@code --table FILE}: the NAS-Bench-201 table the benchmarks search against. */
final class TableOptions
{
    @Option(names = "--table", required = true, paramLabel = "FILE", description = "The NAS-Bench-201 table, nats_bench_tss.csv.")
    Path table;
}
