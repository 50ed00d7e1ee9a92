// Issue 13: is a grouped convolution over T tasks stacked in the channels (groups x T) faster than T
// separate convolutions in the libtorch that DJL bundles? Forward + backward at the protocol's
// sizes (75 query images, 16 channels, 28x28), 1 thread, 20 repetitions per figure, round 0 a warm-up.
// From the distribution folder (no build needed, Java 17 runs a single source file):
//   OMP_NUM_THREADS=1 java -Dai.djl.offline=true -cp "plugins/backend-djl/*:lib/*" PATH/docs/scripts/GroupedConv.java 4
import ai.djl.ndarray.*;
import ai.djl.ndarray.types.*;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.engine.Engine;


public class GroupedConv {
    public static void main(String[] a) {
        int tasks = 4, c = 16, n = 75, hw = 28, rounds = Integer.parseInt(a[0]);
        System.out.println("engine " + Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
        JniUtils.setGradMode(true);
        try (NDManager m = NDManager.newBaseManager()) {
            for (String kind : new String[] {"pointwise", "depthwise3x3"}) {
                boolean dw = kind.startsWith("depth");
                int k = dw ? 3 : 1, g = dw ? c : 1;
                for (int r = 0; r < rounds; r++) {
                    double sep = time(() -> {
                        for (int t = 0; t < tasks; t++) {
                            try (NDManager s = m.newSubManager()) {
                                NDArray x = s.randomNormal(new Shape(n, c, hw, hw)); x.setRequiresGradient(true);
                                NDArray w = s.randomNormal(new Shape(c, c / g, k, k)); w.setRequiresGradient(true);
                                NDArray y = Conv2d.conv2d(x, w, null, new Shape(1, 1), new Shape(k / 2, k / 2), new Shape(1, 1), g).singletonOrThrow();
                                JniUtils.backward((ai.djl.pytorch.engine.PtNDArray) y.sum(), (ai.djl.pytorch.engine.PtNDArray) s.ones(new Shape()), false, false);
                            }
                        }
                    });
                    double grouped = time(() -> {
                        try (NDManager s = m.newSubManager()) {
                            NDArray x = s.randomNormal(new Shape(n, c * tasks, hw, hw)); x.setRequiresGradient(true);
                            NDArray w = s.randomNormal(new Shape(c * tasks, c / g, k, k)); w.setRequiresGradient(true);
                            NDArray y = Conv2d.conv2d(x, w, null, new Shape(1, 1), new Shape(k / 2, k / 2), new Shape(1, 1), g * tasks).singletonOrThrow();
                            JniUtils.backward((ai.djl.pytorch.engine.PtNDArray) y.sum(), (ai.djl.pytorch.engine.PtNDArray) s.ones(new Shape()), false, false);
                        }
                    });
                    System.out.printf("%s round %d: %d separate %.1f ms, grouped x%d %.1f ms, ratio %.2f%n", kind, r, tasks, sep, tasks, grouped, sep / grouped);
                }
            }
        }
    }

    static double time(Runnable body) {
        body.run();
        long t = System.nanoTime();
        for (int i = 0; i < 20; i++) body.run();
        return (System.nanoTime() - t) / 1e6 / 20;
    }
}
