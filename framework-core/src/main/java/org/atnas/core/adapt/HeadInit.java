package org.atnas.core.adapt;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How the classifier head of a network adapted to N classes starts, given the meta-trained head of
 * the run's {@code task.ways} classes ({@code classifier.weight [ways, C]}, {@code classifier.bias
 * [ways]}).
 */
public enum HeadInit
{
    /**
     * Every weight and bias 0, as first-order meta-learning practice resets the head for a new
     * task: all classes start with equal logits, and the first inner step sets row c to a multiple
     * of (the mean feature of class c minus the mean feature), a prototype of the class.
     */
    ZERO,
    /**
     * Every row is the mean of the meta-trained rows, the bias likewise. It adds the same number to
     * every logit, so the softmax, every gradient and therefore every prediction equal those of
     * {@link #ZERO} (up to float rounding); offered to show that it need not be tried.
     */
    MEAN_ROW,
    /**
     * The first N rows of the meta-trained head, as {@code atnas evaluate} uses it; only when N is
     * at most the run's {@code task.ways} (labels were assigned to rows at random during
     * meta-training, so any N rows serve).
     */
    META_TRAINED;

    /** {@code mean-row}, as given on the command line. */
    public String key()
    {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * @throws IllegalArgumentException naming the option, the value and the accepted ones
     */
    public static HeadInit fromKey(String option, String value)
    {
        for (HeadInit init : values()) {
            if (init.key().equals(value)) {
                return init;
            }
        }
        throw new IllegalArgumentException("Unknown value [" + value + "] for " + option + "; expected one of " + Arrays.stream(values()).map(HeadInit::key).collect(Collectors.joining(", ")));
    }

    /**
     * The head for {@code classes} classes from a meta-trained one.
     *
     * @param weight the meta-trained {@code classifier.weight}, {@code [trained, channels]} row-major
     * @param bias the meta-trained {@code classifier.bias}, {@code [trained]}
     * @return {@code {weight [classes, channels], bias [classes]}}
     * @throws IllegalArgumentException for {@link #META_TRAINED} with more classes than the meta-trained head has
     */
    float[][] initialise(float[] weight, float[] bias, int classes)
    {
        int trained = bias.length;
        int channels = weight.length / trained;
        float[] newWeight = new float[classes * channels];
        float[] newBias = new float[classes];
        switch (this) {
            case ZERO -> {
                // the arrays are already zero
            }
            case MEAN_ROW -> {
                float[] meanRow = new float[channels];
                float meanBias = 0;
                for (int row = 0; row < trained; row++) {
                    for (int c = 0; c < channels; c++) {
                        meanRow[c] += weight[row * channels + c] / trained;
                    }
                    meanBias += bias[row] / trained;
                }
                for (int row = 0; row < classes; row++) {
                    System.arraycopy(meanRow, 0, newWeight, row * channels, channels);
                    newBias[row] = meanBias;
                }
            }
            case META_TRAINED -> {
                if (classes > trained) {
                    throw new IllegalArgumentException("--head-init meta-trained needs at most " + trained + " classes (the run's task.ways), the support set has " + classes);
                }
                System.arraycopy(weight, 0, newWeight, 0, classes * channels);
                System.arraycopy(bias, 0, newBias, 0, classes);
            }
        }
        return new float[][] {newWeight, newBias};
    }
}
