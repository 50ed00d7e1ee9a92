package org.atnas.core.search;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import org.atnas.core.run.ProcessCpu;

import static java.util.Objects.requireNonNull;

/**
 * The CPU budget of a run ({@code search.cpu-budget}): CPU minutes of the whole process, all
 * threads, so that the budget does not depend on the number of workers. Counted from {@link #start},
 * on top of the minutes a resumed run had used before.
 */
@Singleton
final class CpuBudget
{
    private final double minutes;
    private long start;
    private double before;

    @Inject
    CpuBudget(SearchPlan plan)
    {
        this.minutes = requireNonNull(plan, "plan is null").schedule().cpuBudgetMinutes();
    }

    /** Starts counting; {@code minutesBefore} were used before (by the run this one resumes). */
    void start(double minutesBefore)
    {
        this.before = minutesBefore;
        start = ProcessCpu.nanos();
    }

    /** CPU minutes used: those before, and the process's since {@link #start}. */
    double minutesUsed()
    {
        return before + (ProcessCpu.nanos() - start) / 60e9;
    }

    /** Whether there is a budget at all. */
    boolean isSet()
    {
        return minutes > 0;
    }

    /** The share of the budget used since {@link #start}; 0 without a budget. */
    double used()
    {
        return isSet() ? minutesUsed() / minutes : 0;
    }

    /** Whether the budget is spent. */
    boolean spent()
    {
        return used() >= 1;
    }
}
