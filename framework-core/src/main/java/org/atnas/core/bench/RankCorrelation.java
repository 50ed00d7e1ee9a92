package org.atnas.core.bench;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/** Rank correlations between predicted and true fitness: Spearman's ρ (ties at mean rank) and Kendall's τ-b. */
public final class RankCorrelation
{
    private RankCorrelation() {}

    public static double spearman(double[] a, double[] b)
    {
        check(a, b);
        return pearson(ranks(a), ranks(b));
    }

    /** Kendall's τ-b, which corrects for ties in either list. */
    public static double kendall(double[] a, double[] b)
    {
        check(a, b);
        long concordant = 0;
        long discordant = 0;
        long tiesA = 0;
        long tiesB = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = i + 1; j < a.length; j++) {
                double x = Math.signum(a[i] - a[j]);
                double y = Math.signum(b[i] - b[j]);
                if (x == 0 && y == 0) {
                    continue;
                }
                if (x == 0) {
                    tiesA++;
                }
                else if (y == 0) {
                    tiesB++;
                }
                else if (x == y) {
                    concordant++;
                }
                else {
                    discordant++;
                }
            }
        }
        double denominator = Math.sqrt((double) (concordant + discordant + tiesA) * (concordant + discordant + tiesB));
        return denominator == 0 ? 0 : (concordant - discordant) / denominator;
    }

    static double[] ranks(double[] values)
    {
        Integer[] order = IntStream.range(0, values.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> values[i]));
        double[] ranks = new double[values.length];
        for (int start = 0; start < order.length; ) {
            int end = start;
            while (end + 1 < order.length && values[order[end + 1]] == values[order[start]]) {
                end++;
            }
            double rank = (start + end) / 2.0 + 1;
            for (int k = start; k <= end; k++) {
                ranks[order[k]] = rank;
            }
            start = end + 1;
        }
        return ranks;
    }

    private static double pearson(double[] x, double[] y)
    {
        double meanX = Statistics.mean(x);
        double meanY = Statistics.mean(y);
        double xy = 0;
        double xx = 0;
        double yy = 0;
        for (int i = 0; i < x.length; i++) {
            xy += (x[i] - meanX) * (y[i] - meanY);
            xx += (x[i] - meanX) * (x[i] - meanX);
            yy += (y[i] - meanY) * (y[i] - meanY);
        }
        return xx == 0 || yy == 0 ? 0 : xy / Math.sqrt(xx * yy);
    }

    private static void check(double[] a, double[] b)
    {
        if (a.length != b.length || a.length < 2) {
            throw new IllegalArgumentException("Rank correlation needs two lists of the same length, at least 2, got " + a.length + " and " + b.length);
        }
    }
}
