package org.atnas.core.data;

import java.util.List;

import org.atnas.api.ImageShape;

/** Per-channel statistics of byte images. */
final class ChannelStatistics
{
    private ChannelStatistics() {}

    /** The per-channel mean and standard deviation of {@code byte / 255} over every image of the classes. */
    static Normalization normalizationOf(List<ImageClass> classes, ImageShape shape)
    {
        int channels = shape.channels();
        int area = shape.height() * shape.width();
        double[] sum = new double[channels];
        double[] squares = new double[channels];
        long count = 0;
        for (ImageClass imageClass : classes) {
            for (int image = 0; image < imageClass.size(); image++) {
                for (int channel = 0; channel < channels; channel++) {
                    for (int row = 0; row < shape.height(); row++) {
                        for (int column = 0; column < shape.width(); column++) {
                            double value = imageClass.pixel(image, channel, row, column) / 255.0;
                            sum[channel] += value;
                            squares[channel] += value * value;
                        }
                    }
                }
            }
            count += (long) imageClass.size() * area;
        }
        float[] mean = new float[channels];
        float[] std = new float[channels];
        for (int channel = 0; channel < channels; channel++) {
            double m = sum[channel] / Math.max(1, count);
            mean[channel] = (float) m;
            // a constant channel would divide by zero: keep it as it is
            std[channel] = (float) Math.max(1e-3, Math.sqrt(Math.max(0, squares[channel] / Math.max(1, count) - m * m)));
        }
        return new Normalization(mean, std);
    }
}
