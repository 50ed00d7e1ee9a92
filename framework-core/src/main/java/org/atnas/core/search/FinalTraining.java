package org.atnas.core.search;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.atnas.api.ArchitectureCode;
import org.atnas.api.SearchSpace;
import org.atnas.api.SupernetState;
import org.atnas.api.plugin.Setting;
import org.atnas.core.Atnas;
import org.atnas.core.config.Configuration;
import org.atnas.core.config.SettingValues;
import org.atnas.core.plugin.InstalledPlugin;

/**
 * The paper's final training (Sec. 4.2): the chosen architecture is meta-trained alone — B_arch = 1,
 * λ_task = 0.1 with 5 inner steps, Adam with η_meta = 0.001 — before it is tested. A final-training
 * run is an ordinary search run of {@link SearchMethod#FIXED} whose supernet starts from the
 * search's weights (or fresh ones), so it has the search's progress, checkpoints and resume; its
 * configuration records where it came from ({@code train.source}).
 */
public final class FinalTraining
{
    public static final Setting<Integer> STEPS = Setting.integer("train.steps", 2000, 1, 100_000_000,
            "Meta-steps of the final training of the chosen architecture (the paper: 20 epochs of 15,000 tasks on GPUs).");
    public static final Setting<Double> CPU_BUDGET = Setting.decimal("train.cpu-budget", 0.0, 0.0, 1e9,
            "CPU minutes the final training may use; when spent it ends as if its steps were done. 0: train.steps decides.");
    public static final Setting<Integer> INNER_STEPS = Setting.integer("train.inner-steps", 5, 1, 10_000,
            "Inner SGD steps per task in the final training (the paper: 5).");
    public static final Setting<Double> INNER_LR = Setting.decimal("train.inner-lr", 0.1, 1e-9, 100.0,
            "lambda_task of the final training (the paper: 0.1).");
    public static final Setting<Double> META_LR = Setting.decimal("train.meta-lr", 0.001, 1e-9, 10.0,
            "eta_meta, Adam's learning rate in the final training (the paper: 0.001).");
    public static final Setting<Integer> EVALUATE_EVERY = Setting.integer("train.evaluate-every", 200, 1, 100_000_000,
            "Meta-steps between meta-val evaluations of the architecture during the final training (its learning curve in metrics.jsonl).");
    public static final Setting<String> SOURCE = Setting.string("train.source", null,
            "Set by atnas train: the search run whose architecture and weights the final training starts from.");
    public static final Setting<Boolean> FROM_SCRATCH = Setting.bool("train.from-scratch", false,
            "Set by atnas train --from-scratch: the final training starts from fresh weights instead of the search's.");

    /**
     * A final-training run ready to start.
     *
     * @param run the training run (a fixed-architecture search)
     * @param code the architecture it trains
     * @param initialWeights where its supernet starts (empty: fresh weights)
     */
    public record Prepared(SearchRun run, ArchitectureCode code, Optional<SupernetState> initialWeights) {}

    private FinalTraining() {}

    /**
     * Prepares the final training of a search's architecture: the best measured one, or
     * {@code code} (a code, notation or name).
     *
     * @param source the search's run directory
     * @param overrides {@code key=value} overrides of the search's configuration, {@code train.*} keys included
     * @throws IllegalArgumentException naming the directory, key or code when one is wrong
     */
    public static Prepared prepare(List<InstalledPlugin> plugins, Path source, List<String> overrides, Optional<String> code, boolean fromScratch)
    {
        Checkpoint search = Checkpoint.readLatest(source);
        Atnas atnas = Atnas.start(plugins, SearchRun.configuration(source, search, overrides), SearchRun.SERVICES);
        ArchitectureCode chosen = code.isPresent()
                ? SearchPlan.architecture(atnas.instance(SearchSpace.class), "--code", code.get())
                : search.best(1).get(0).code();
        Map<String, String> training = configuration(atnas.configuration().effective(), atnas.configuration(), chosen, source, fromScratch);
        SearchRun run = SearchRun.prepare(Atnas.start(plugins, Configuration.empty().with(training, "final training of " + source), SearchRun.SERVICES));
        return new Prepared(run, chosen, initialWeights(search, fromScratch));
    }

    public static List<Setting<?>> settings()
    {
        return List.of(STEPS, CPU_BUDGET, INNER_STEPS, INNER_LR, META_LR, EVALUATE_EVERY, SOURCE, FROM_SCRATCH);
    }

    /**
     * The configuration of the final training of {@code code}: the search's configuration with
     * the search keys that make it a fixed-architecture run with the {@code train.*} settings.
     *
     * @param search the search run's effective configuration
     * @param settings the {@code train.*} settings (the search's, with the user's overrides)
     * @param source the search's run directory
     */
    public static Map<String, String> configuration(Map<String, String> search, SettingValues settings, ArchitectureCode code, Path source, boolean fromScratch)
    {
        Map<String, String> training = new LinkedHashMap<>(search);
        training.remove("run.name");
        training.put(SearchSettings.METHOD.key(), SearchMethod.FIXED.key());
        training.put(SearchSettings.FIXED_CODE.key(), code.format());
        training.put(SearchSettings.ARCH_BATCH.key(), "1");
        training.put(SearchSettings.WARMUP_STEPS.key(), "0");
        training.put(SearchSettings.STEPS.key(), Integer.toString(settings.get(STEPS)));
        training.put(SearchSettings.CPU_BUDGET.key(), Double.toString(settings.get(CPU_BUDGET)));
        training.put(SearchSettings.INNER_STEPS.key(), Integer.toString(settings.get(INNER_STEPS)));
        training.put(SearchSettings.INNER_LR.key(), Double.toString(settings.get(INNER_LR)));
        training.put(SearchSettings.META_LR.key(), Double.toString(settings.get(META_LR)));
        training.put(SearchSettings.EVOLVE_EVERY.key(), Integer.toString(settings.get(EVALUATE_EVERY)));
        for (Setting<?> setting : settings()) {
            settings.find(setting).ifPresent(value -> training.put(setting.key(), String.valueOf(value)));
        }
        training.put(SOURCE.key(), source.toAbsolutePath().normalize().toString());
        training.put(FROM_SCRATCH.key(), Boolean.toString(fromScratch));
        return training;
    }

    /**
     * Where the final training's weights start: the search's meta-trained W with a fresh Adam
     * (a new optimisation), or empty for fresh weights ({@code --from-scratch}).
     */
    public static Optional<SupernetState> initialWeights(Checkpoint search, boolean fromScratch)
    {
        return fromScratch ? Optional.empty() : Optional.of(new SupernetState(search.state().parameters(), Map.of(), Map.of(), Map.of()));
    }
}
