package org.atnas.core.bench;

/** Summary statistics of samples. */
public final class Statistics
{
    private Statistics() {}

    public static double mean(double[] values)
    {
        if (values.length == 0) {
            throw new IllegalArgumentException("The mean of no values is undefined");
        }
        double sum = 0;
        for (double value : values) {
            sum += value;
        }
        return sum / values.length;
    }

    /** The sample standard deviation (n - 1 in the denominator); 0 for one value. */
    public static double standardDeviation(double[] values)
    {
        if (values.length < 2) {
            return 0;
        }
        double mean = mean(values);
        double squares = 0;
        for (double value : values) {
            squares += (value - mean) * (value - mean);
        }
        return Math.sqrt(squares / (values.length - 1));
    }
}
