package org.atnas.core.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's resident memory, from {@code /proc/self/status} (Linux). */
public final class ProcessMemory
{
    private ProcessMemory() {}

    /** Resident set size now, in megabytes. */
    public static double residentMegabytes()
    {
        return megabytes("VmRSS:");
    }

    /** Peak resident set size so far, in megabytes: what the PyTorch peer reports as peak_rss_mb. */
    public static double peakResidentMegabytes()
    {
        return megabytes("VmHWM:");
    }

    private static double megabytes(String field)
    {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot read /proc/self/status: " + e.getMessage(), e);
        }
        throw new IllegalStateException("/proc/self/status has no " + field + " line (Linux only)");
    }
}
