package org.atnas.core.run;

import java.lang.management.ManagementFactory;

/** The CPU time of the whole process, all threads: what budgets and reported CPU minutes count. */
public final class ProcessCpu
{
    private ProcessCpu() {}

    /**
     * @throws IllegalStateException if the JVM does not report the process CPU time
     */
    public static long nanos()
    {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean system) {
            return system.getProcessCpuTime();
        }
        throw new IllegalStateException("CPU minutes need the process CPU time, which this JVM does not report");
    }
}
