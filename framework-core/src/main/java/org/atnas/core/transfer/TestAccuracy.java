package org.atnas.core.transfer;

/**
 * A test-set accuracy with its 95% confidence interval, the Wilson score interval of a binomial
 * proportion: each test image is a Bernoulli trial of the one trained network.
 *
 * @param correct images classified correctly
 * @param images test images
 */
public record TestAccuracy(long correct, long images)
{
    private static final double Z95 = 1.959963984540054;

    public TestAccuracy
    {
        if (images < 1 || correct < 0 || correct > images) {
            throw new IllegalArgumentException("Invalid test result: " + correct + " correct of " + images);
        }
    }

    public double accuracy()
    {
        return (double) correct / images;
    }

    /** The interval's lower end. */
    public double low()
    {
        return centre() - halfWidth();
    }

    /** The interval's upper end. */
    public double high()
    {
        return centre() + halfWidth();
    }

    private double centre()
    {
        double z2 = Z95 * Z95;
        return (accuracy() + z2 / (2.0 * images)) / (1 + z2 / images);
    }

    private double halfWidth()
    {
        double p = accuracy();
        double z2 = Z95 * Z95;
        return Z95 / (1 + z2 / images) * Math.sqrt(p * (1 - p) / images + z2 / (4.0 * images * images));
    }
}
