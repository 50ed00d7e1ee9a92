package org.atnas.predictor.weka;

import java.util.Arrays;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.atnas.api.Predictor;
import org.atnas.api.plugin.ApiVersion;
import org.atnas.api.plugin.ComponentContext;
import org.atnas.api.plugin.ComponentFactory;
import org.atnas.api.plugin.Plugin;
import org.atnas.api.plugin.Setting;
import weka.classifiers.functions.GaussianProcesses;
import weka.classifiers.functions.RBFRegressor;
import weka.classifiers.functions.supportVector.RBFKernel;
import weka.classifiers.trees.RandomForest;

/** Offers the {@code gaussian-process}, {@code rbf} and {@code random-forest} predictors (Sec. 3.4, Fig. 6). */
public final class WekaPlugin
        implements Plugin
{
    /** Held so that the level sticks: netlib warns through JUL on every JVM without native BLAS, which is noise here. */
    private static final Logger NETLIB = Logger.getLogger("com.github.fommil");

    static {
        NETLIB.setLevel(Level.SEVERE);
    }

    static final Setting<String> GP_ENCODING = encoding("gaussian-process");
    static final Setting<Double> GP_NOISE = Setting.decimal("gaussian-process.noise", 1.0, 1e-6, 1e6, "The Gaussian process's noise level (Weka's -L).");
    static final Setting<Double> GP_GAMMA = Setting.decimal("gaussian-process.gamma", 0.01, 1e-9, 1e6, "Gamma of the RBF kernel exp(-gamma |x - y|^2).");
    static final Setting<String> RBF_ENCODING = encoding("rbf");
    static final Setting<Integer> RBF_FUNCTIONS = Setting.integer("rbf.functions", 2, 1, 10_000, "Number of radial basis functions of the RBF network regressor.");
    static final Setting<String> FOREST_ENCODING = encoding("random-forest");
    static final Setting<Integer> FOREST_TREES = Setting.integer("random-forest.trees", 100, 1, 100_000, "Trees in the forest (the paper: 100).");

    private static Setting<String> encoding(String component)
    {
        return Setting.oneOf(component + ".encoding", Encoding.ONE_HOT.configName(), Arrays.stream(Encoding.values()).map(Encoding::configName).toList(),
                "How a code becomes features: one-hot (one 0/1 feature per edge and op) or integer (one number per edge).");
    }

    @Override
    public String apiVersion()
    {
        return ApiVersion.CURRENT;
    }

    @Override
    public List<ComponentFactory<?>> components()
    {
        return List.of(
                ComponentFactory.of(Predictor.class, "gaussian-process", "Weka GaussianProcesses with an RBF kernel",
                        List.of(GP_ENCODING, GP_NOISE, GP_GAMMA), context -> new WekaPredictor("gaussian-process", () -> {
                            GaussianProcesses process = new GaussianProcesses();
                            RBFKernel kernel = new RBFKernel();
                            kernel.setGamma(context.get(GP_GAMMA));
                            process.setKernel(kernel);
                            process.setNoise(context.get(GP_NOISE));
                            return process;
                        }, encoding(context, GP_ENCODING))),
                ComponentFactory.of(Predictor.class, "rbf", "Weka RBFRegressor (RBF network)",
                        List.of(RBF_ENCODING, RBF_FUNCTIONS), context -> new WekaPredictor("rbf", () -> {
                            RBFRegressor network = new RBFRegressor();
                            network.setNumFunctions(context.get(RBF_FUNCTIONS));
                            return network;
                        }, encoding(context, RBF_ENCODING))),
                ComponentFactory.of(Predictor.class, "random-forest", "Weka RandomForest (the paper's best predictor)",
                        List.of(FOREST_ENCODING, FOREST_TREES), context -> new WekaPredictor("random-forest", () -> {
                            RandomForest forest = new RandomForest();
                            forest.setNumIterations(context.get(FOREST_TREES));
                            forest.setNumExecutionSlots(1);
                            return forest;
                        }, encoding(context, FOREST_ENCODING))));
    }

    private static Encoding encoding(ComponentContext context, Setting<String> setting)
    {
        String name = context.get(setting);
        return Encoding.fromConfigName(name).orElseThrow(() -> new IllegalArgumentException(
                "Invalid value [" + name + "] for key [" + setting.key() + "]: expected one-hot or integer"));
    }
}
