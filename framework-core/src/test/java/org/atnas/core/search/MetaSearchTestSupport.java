package org.atnas.core.search;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.atnas.api.ImageShape;
import org.atnas.core.data.ImageClass;
import org.atnas.core.data.Normalization;
import org.atnas.core.data.TaskSampler;

/** Tiny tasks and a listener that hears nothing, for the engine's tests. */
final class MetaSearchTestSupport
{
    static final ImageShape SHAPE = new ImageShape(1, 4, 4);

    static final SearchListener SILENT = new SearchListener()
    {
        @Override
        public void started(int startStep, int totalSteps) {}

        @Override
        public void step(Step step) {}

        @Override
        public void checkpoint(Path folder) {}
    };

    private MetaSearchTestSupport() {}

    /** 2-way 1-shot 2-query tasks; class c's images are all of value c * 40 + image: every task has its own support and query centres. */
    static TaskSampler sampler()
    {
        List<ImageClass> classes = new ArrayList<>();
        for (int c = 0; c < 6; c++) {
            byte[] pixels = new byte[6 * SHAPE.size()];
            for (int image = 0; image < 6; image++) {
                Arrays.fill(pixels, image * SHAPE.size(), (image + 1) * SHAPE.size(), (byte) (c * 40 + image));
            }
            classes.add(new ImageClass("c" + c, "c" + c, SHAPE, pixels));
        }
        return new TaskSampler("meta-train", classes, Normalization.unit(1), 2, 1, 2);
    }
}
