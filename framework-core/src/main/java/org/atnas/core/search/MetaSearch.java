package org.atnas.core.search;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Supplier;

import org.atnas.api.Adaptation;
import org.atnas.api.ArchitectureCode;
import org.atnas.api.BackendCapability;
import org.atnas.api.BackendWorker;
import org.atnas.api.Evolver;
import org.atnas.api.Gradient;
import org.atnas.api.ImageShape;
import org.atnas.api.Individual;
import org.atnas.api.InnerLoop;
import org.atnas.api.MetaGradient;
import org.atnas.api.MetaOptimizer;
import org.atnas.api.MetaUpdate;
import org.atnas.api.Population;
import org.atnas.api.Predictor;
import org.atnas.api.SearchSpace;
import org.atnas.api.Subnet;
import org.atnas.api.Supernet;
import org.atnas.api.Task;
import org.atnas.api.WeightBackend;
import org.atnas.api.network.NetworkDescription;
import org.atnas.core.data.TaskPool;
import org.atnas.core.data.TaskSampler;
import org.atnas.core.run.MetricsLog;

import static java.util.Objects.requireNonNull;

/**
 * Algorithm 1 of AT-NAS: warm-up with subnets sampled from the space, then meta-steps over
 * architectures from the population, which is evaluated and evolved every k meta-steps; 𝒦 workers
 * share each meta-step's tasks (Sec. 3.4, Eq. 7).
 *
 * <p>A meta-step (Eq. 6): B_arch architectures × B_task tasks; each pair's meta-gradient comes from
 * the meta-optimizer on the worker that owns the task's shard; their mean goes to Adam. All
 * random choices come from seeds derived from the run's seed ({@link Seeds}), so a resumed run
 * and a run with another number of workers make the same choices.
 */
public final class MetaSearch
        implements AutoCloseable
{
    /**
     * The settings of a search.
     *
     * @param population K
     * @param evolveEvery k
     * @param architectureBatch B_arch
     * @param taskBatch B_task
     * @param innerLoop M and λ_task
     * @param metaLearningRate η_meta
     * @param warmupSteps warm-up meta-steps
     * @param steps meta-steps after warm-up
     * @param workers 𝒦
     * @param taskPool T
     * @param validationTasks meta-val tasks per evaluation
     * @param checkpointEvery meta-steps between checkpoints
     * @param seed the run's seed
     * @param predictorPairs p: real evaluations before the predictor (if any) ranks candidates
     * @param predictorFraction share of candidates evaluated for real once it does
     * @param method the full algorithm or a baseline
     * @param fixedCode the architecture {@link SearchMethod#FIXED} meta-trains
     * @param cpuBudgetMinutes CPU minutes the meta-steps may use; 0 for no budget
     */
    public record Parameters(int population, int evolveEvery, int architectureBatch, int taskBatch, InnerLoop innerLoop, double metaLearningRate, int warmupSteps, int steps,
            int workers, int taskPool, int validationTasks, int checkpointEvery, long seed, int predictorPairs, double predictorFraction,
            SearchMethod method, Optional<ArchitectureCode> fixedCode, double cpuBudgetMinutes)
    {
        public Parameters
        {
            requireNonNull(innerLoop, "innerLoop is null");
            requireNonNull(method, "method is null");
            requireNonNull(fixedCode, "fixedCode is null");
            if (method == SearchMethod.FIXED && fixedCode.isEmpty()) {
                throw new IllegalArgumentException("search.method = fixed needs search.fixed-code, the architecture to meta-train");
            }
            if (method != SearchMethod.FIXED && architectureBatch > population) {
                throw new IllegalArgumentException("search.arch-batch (" + architectureBatch + ") is larger than search.population (" + population + "): a meta-step draws distinct architectures from the population");
            }
            if (workers > taskPool) {
                throw new IllegalArgumentException("search.workers (" + workers + ") is larger than search.task-pool (" + taskPool + "): every worker needs a shard of the pool");
            }
            if (cpuBudgetMinutes < 0) {
                throw new IllegalArgumentException("search.cpu-budget must not be negative, got " + cpuBudgetMinutes);
            }
        }

        /** The full algorithm without a CPU budget. */
        public Parameters(int population, int evolveEvery, int architectureBatch, int taskBatch, InnerLoop innerLoop, double metaLearningRate, int warmupSteps, int steps,
                int workers, int taskPool, int validationTasks, int checkpointEvery, long seed, int predictorPairs, double predictorFraction)
        {
            this(population, evolveEvery, architectureBatch, taskBatch, innerLoop, metaLearningRate, warmupSteps, steps, workers, taskPool, validationTasks, checkpointEvery, seed,
                    predictorPairs, predictorFraction, SearchMethod.ATNAS, Optional.empty(), 0);
        }

        /** The same settings with another inner loop (an evaluation's final training). */
        public Parameters withInnerLoop(InnerLoop other)
        {
            return new Parameters(population, evolveEvery, architectureBatch, taskBatch, other, metaLearningRate, warmupSteps, steps, workers, taskPool, validationTasks, checkpointEvery, seed,
                    predictorPairs, predictorFraction, method, fixedCode, cpuBudgetMinutes);
        }

        public int totalSteps()
        {
            return warmupSteps + steps;
        }
    }

    /**
     * What a search runs with.
     *
     * @param space the search space
     * @param backend the weight backend
     * @param optimizer the meta-optimizer
     * @param evolver the evolver
     * @param training samples meta-train tasks
     * @param validation samples meta-val tasks (fitness)
     * @param components the component of each service, for checkpoints
     * @param configuration the effective configuration, for checkpoints
     * @param predictors makes new predictors, if one is configured
     */
    public record Components(SearchSpace space, WeightBackend backend, MetaOptimizer optimizer, Evolver evolver, TaskSampler training, TaskSampler validation,
            Map<String, String> components, Map<String, String> configuration, Optional<Supplier<Predictor>> predictors) {}

    /** How a run ended. */
    public enum Outcome
    {
        FINISHED, STOPPED
    }

    private static final int KEEP_CHECKPOINTS = 3;
    private static final int DESCRIPTION_CACHE = 4096;

    private final Parameters parameters;
    private final Components components;
    private final Path runDirectory;
    private final NetworkDescription supernetDescription;
    private final Supernet supernet;
    private final WorkerPool workers;
    private final ImageShape input;
    private final int classes;
    private final Map<ArchitectureCode, NetworkDescription> descriptions = new LinkedHashMap<>(16, 0.75f, true)
    {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ArchitectureCode, NetworkDescription> eldest)
        {
            return size() > DESCRIPTION_CACHE;
        }
    };
    private final Optional<PredictorScreen> screen;
    private double predictorQuality = Double.NaN;
    private TaskPool currentPool;
    private int poolEpoch = -1;
    private volatile boolean stopRequested;
    private boolean budgetEnded;
    private int step;
    private int generation;
    private Population population;
    private double bestFitness = Double.NaN;
    private double meanFitness = Double.NaN;
    private Path lastCheckpoint;
    private long engineNanos;
    private long computeNanos;

    /**
     * Creates the supernet (from {@code resume}'s state if given) and the workers.
     *
     * @throws IllegalArgumentException if the backend lacks a capability the meta-optimizer needs
     */
    public MetaSearch(Parameters parameters, Components components, Path runDirectory, Optional<Checkpoint> resume)
    {
        this.parameters = requireNonNull(parameters, "parameters is null");
        this.components = requireNonNull(components, "components is null");
        this.runDirectory = requireNonNull(runDirectory, "runDirectory is null");
        Set<BackendCapability> missing = new HashSet<>(components.optimizer().requiredCapabilities());
        missing.removeAll(components.backend().capabilities());
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("Meta-optimizer [" + components.optimizer().name() + "] needs " + missing + ", which backend [" + components.backend().name()
                    + "] does not offer; select a backend that offers it (key [backend]) or configure [" + components.optimizer().name() + "] not to need it (atnas config defaults lists its keys)");
        }
        this.input = components.training().shape();
        this.classes = components.training().ways();
        this.supernetDescription = components.space().describeSupernet(input, classes);
        this.supernet = components.backend().createSupernet(supernetDescription, MetaUpdate.adam(parameters.metaLearningRate()), parameters.seed());
        this.screen = components.predictors().map(predictors -> new PredictorScreen(predictors, components.space(), parameters.predictorPairs(), parameters.predictorFraction()));
        if (resume.isPresent()) {
            Checkpoint checkpoint = resume.get();
            supernet.restore(checkpoint.state());
            checkpoint.population().codes().forEach(components.space()::validate);
            this.population = checkpoint.population();
            this.step = checkpoint.step();
            this.generation = checkpoint.generation();
            screen.ifPresent(value -> checkpoint.predictorPairs().forEach(pair -> value.record(pair.code(), pair.requireFitness())));
            if (population.isFullyEvaluated() && population.size() > 0) {
                summarize(population);
            }
        }
        else {
            parameters.fixedCode().ifPresent(components.space()::validate);
            this.population = parameters.method() == SearchMethod.FIXED ? Population.ofCodes(List.of(parameters.fixedCode().orElseThrow())) : initialPopulation();
        }
        this.workers = new WorkerPool(supernet, parameters.workers());
    }

    /** Asks a running search to stop after the current meta-step and write a checkpoint; safe from any thread. */
    public void requestStop()
    {
        stopRequested = true;
    }

    /** Meta-steps done. */
    public int step()
    {
        return step;
    }

    public Population population()
    {
        return population;
    }

    public Supernet supernet()
    {
        return supernet;
    }

    /** The share of a meta-step's wall time spent outside backend work (pairs and the outer update). */
    public double engineOverhead()
    {
        long total = engineNanos + computeNanos;
        return total == 0 ? 0 : (double) engineNanos / total;
    }

    /**
     * Runs the remaining meta-steps; at the end evaluates the final population and writes a checkpoint.
     *
     * @throws SearchFailedException for a NaN or infinite loss, naming the step, architecture and task
     */
    public Outcome run(MetricsLog metrics, SearchListener listener)
    {
        listener.started(step, parameters.totalSteps());
        long cpuStart = processCpuNanos();
        while (step < parameters.totalSteps()) {
            if (budgetUsed(cpuStart) >= 1) {
                budgetEnded = true;
                break;
            }
            if (stopRequested) {
                listener.checkpoint(checkpoint());
                return Outcome.STOPPED;
            }
            long start = System.nanoTime();
            long computeBefore = computeNanos;
            boolean warmup = step < parameters.warmupSteps();
            double[] scores;
            try {
                scores = metaStep(warmup);
            }
            catch (ArithmeticException e) {
                throw failed(e);
            }
            step++;
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("type", "meta-step");
            line.put("step", step);
            line.put("phase", warmup ? "warmup" : "search");
            line.put("queryLoss", scores[0]);
            line.put("queryAccuracy", scores[1]);
            if (!warmup && (step - parameters.warmupSteps()) % parameters.evolveEvery() == 0) {
                Population evaluated = evaluateOrFail(population, generation);
                summarize(evaluated);
                generation++;
                metrics.append(generationLine(evaluated));
                // the baselines keep their population: random never evolves, fixed has one architecture
                population = parameters.method() == SearchMethod.ATNAS
                        ? components.evolver().evolve(evaluated, components.space(), new SplittableRandom(Seeds.derive(parameters.seed(), Seeds.EVOLUTION, generation)))
                        : evaluated;
            }
            line.put("seconds", (System.nanoTime() - start) / 1e9);
            metrics.append(line);
            engineNanos += System.nanoTime() - start - (computeNanos - computeBefore);
            double progress = Math.min(1, Math.max((double) step / parameters.totalSteps(), budgetUsed(cpuStart)));
            listener.step(new SearchListener.Step(step, parameters.totalSteps(), warmup, scores[0], scores[1], bestFitness, meanFitness, progress));
            if (step % parameters.checkpointEvery() == 0 && step < parameters.totalSteps()) {
                listener.checkpoint(checkpoint());
            }
        }
        population = evaluateOrFail(population, generation);
        summarize(population);
        metrics.append(generationLine(population));
        listener.checkpoint(checkpoint());
        return Outcome.FINISHED;
    }

    /** Whether the run ended because its CPU budget was spent, before {@code search.steps}. */
    public boolean endedByBudget()
    {
        return budgetEnded;
    }

    /** The share of the CPU budget used since {@code cpuStart}; 0 without a budget. */
    private double budgetUsed(long cpuStart)
    {
        return parameters.cpuBudgetMinutes() > 0 ? (processCpuNanos() - cpuStart) / 60e9 / parameters.cpuBudgetMinutes() : 0;
    }

    /** CPU time of the whole process, all threads: what a budget that should not depend on the number of workers counts. */
    private static long processCpuNanos()
    {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean system) {
            return system.getProcessCpuTime();
        }
        throw new IllegalStateException("search.cpu-budget needs the process CPU time, which this JVM does not report");
    }

    private Population evaluateOrFail(Population candidates, int forGeneration)
    {
        try {
            return evaluate(candidates, forGeneration);
        }
        catch (ArithmeticException e) {
            throw failed(new ArithmeticException("Evaluation after meta-step " + step + ": " + e.getMessage()));
        }
    }

    private SearchFailedException failed(ArithmeticException e)
    {
        return new SearchFailedException(e.getMessage() + "; the search stopped, " + lastCheckpoint().map(path -> "the last good checkpoint is " + path).orElse("no checkpoint was written yet"), e);
    }

    /** One meta-step of the run; returns the mean query loss and accuracy of its pairs. */
    private double[] metaStep(boolean warmup)
    {
        List<ArchitectureCode> codes = architectures(warmup);
        int firstTask = step * parameters.taskBatch();
        List<Supplier<Task>> tasks = new ArrayList<>();
        int[] workerOf = new int[parameters.taskBatch()];
        for (int j = 0; j < parameters.taskBatch(); j++) {
            int position = firstTask + j;
            int index = position % parameters.taskPool();
            TaskPool pool = pool(position / parameters.taskPool());
            tasks.add(() -> pool.task(index));
            // the pool's shard that holds the task: task i belongs to worker i mod 𝒦
            workerOf[j] = index % parameters.workers();
        }
        return metaStep(codes, tasks, workerOf, step + 1);
    }

    /**
     * One meta-step (Eq. 6 and 7) on the given architectures and tasks, task j on worker j mod 𝒦:
     * what {@code atnas bench meta-step} times. Changes W; returns the mean query loss and accuracy.
     */
    public double[] metaStep(List<ArchitectureCode> codes, List<Task> tasks)
    {
        long start = System.nanoTime();
        long computeBefore = computeNanos;
        List<Supplier<Task>> suppliers = new ArrayList<>();
        int[] workerOf = new int[tasks.size()];
        for (int j = 0; j < tasks.size(); j++) {
            Task task = tasks.get(j);
            suppliers.add(() -> task);
            workerOf[j] = j % parameters.workers();
        }
        double[] scores = metaStep(codes, suppliers, workerOf, step + 1);
        engineNanos += System.nanoTime() - start - (computeNanos - computeBefore);
        return scores;
    }

    private double[] metaStep(List<ArchitectureCode> codes, List<Supplier<Task>> tasks, int[] workerOf, int stepNumber)
    {
        List<List<Function<BackendWorker, MetaGradient>>> jobs = emptyJobs();
        // the pairs in canonical order (task, then architecture), whatever worker runs them
        List<int[]> order = new ArrayList<>();
        for (int j = 0; j < tasks.size(); j++) {
            int worker = workerOf[j];
            Supplier<Task> task = tasks.get(j);
            for (ArchitectureCode code : codes) {
                NetworkDescription description = describe(code);
                jobs.get(worker).add(backendWorker -> {
                    try (Subnet subnet = backendWorker.compile(description)) {
                        return components.optimizer().metaGradient(backendWorker, subnet, task.get(), parameters.innerLoop());
                    }
                    catch (ArithmeticException e) {
                        throw new ArithmeticException("Meta-step " + stepNumber + ", architecture " + code + ": " + e.getMessage());
                    }
                });
                order.add(new int[] {worker, jobs.get(worker).size() - 1});
            }
        }
        List<List<MetaGradient>> results = compute(() -> workers.run(jobs));
        List<Gradient> gradients = new ArrayList<>();
        double loss = 0;
        double accuracy = 0;
        for (int[] slot : order) {
            MetaGradient result = results.get(slot[0]).get(slot[1]);
            gradients.add(result.gradient());
            loss += result.adaptation().queryLoss() / order.size();
            accuracy += result.adaptation().queryAccuracy() / order.size();
        }
        compute(() -> {
            supernet.applyMetaGradient(gradients);
            return null;
        });
        // each worker closes its own handles, in its own thread
        List<List<Function<BackendWorker, Object>>> closing = emptyJobs();
        for (int k = 0; k < results.size(); k++) {
            for (MetaGradient result : results.get(k)) {
                closing.get(k).add(worker -> {
                    result.gradient().close();
                    return null;
                });
            }
        }
        workers.run(closing);
        return new double[] {loss, accuracy};
    }

    /**
     * Fitness of every individual (Algorithm 2, line 1): the mean query accuracy after the inner
     * loop over the generation's meta-val tasks, shared out among the workers.
     */
    Population evaluate(Population candidates, int forGeneration)
    {
        List<ArchitectureCode> codes = new ArrayList<>(new LinkedHashSet<>(candidates.codes()));
        SplittableRandom random = new SplittableRandom(Seeds.derive(parameters.seed(), Seeds.VALIDATION, forGeneration));
        long[] taskSeeds = new long[parameters.validationTasks()];
        for (int t = 0; t < taskSeeds.length; t++) {
            taskSeeds[t] = random.nextLong();
        }
        PredictorScreen.Screening screening = screen.map(value -> value.screen(codes, Seeds.derive(parameters.seed(), Seeds.PREDICTOR, forGeneration)))
                .orElse(new PredictorScreen.Screening(codes, Map.of(), Map.of()));
        List<ArchitectureCode> real = screening.real();
        double[][] accuracies = adaptAll(real, components.validation(), taskSeeds);
        Map<ArchitectureCode, Double> fitness = new LinkedHashMap<>();
        for (int i = 0; i < real.size(); i++) {
            double sum = 0;
            for (double value : accuracies[i]) {
                sum += value;
            }
            fitness.put(real.get(i), sum / taskSeeds.length);
        }
        predictorQuality = PredictorScreen.quality(screening, fitness);
        screen.ifPresent(value -> fitness.forEach(value::record));
        List<Individual> evaluated = new ArrayList<>();
        for (ArchitectureCode code : candidates.codes()) {
            Double value = fitness.get(code);
            evaluated.add(Individual.evaluated(code, value != null ? value : screening.predicted().get(code)));
        }
        return new Population(evaluated);
    }

    /** Query accuracy of each code (rows) adapted to each task (columns), tasks shared out among the workers. */
    public double[][] adaptAll(List<ArchitectureCode> codes, TaskSampler sampler, long[] taskSeeds)
    {
        List<List<Function<BackendWorker, Adaptation>>> jobs = emptyJobs();
        List<int[]> slots = new ArrayList<>();
        for (int t = 0; t < taskSeeds.length; t++) {
            int worker = t % parameters.workers();
            long taskSeed = taskSeeds[t];
            for (int i = 0; i < codes.size(); i++) {
                NetworkDescription description = describe(codes.get(i));
                jobs.get(worker).add(backendWorker -> {
                    try (Subnet subnet = backendWorker.compile(description)) {
                        return components.optimizer().adapt(backendWorker, subnet, sampler.sample(taskSeed), parameters.innerLoop());
                    }
                });
                slots.add(new int[] {i, t, worker, jobs.get(worker).size() - 1});
            }
        }
        List<List<Adaptation>> results = compute(() -> workers.run(jobs));
        double[][] accuracies = new double[codes.size()][taskSeeds.length];
        for (int[] slot : slots) {
            accuracies[slot[0]][slot[1]] = results.get(slot[2]).get(slot[3]).queryAccuracy();
        }
        return accuracies;
    }

    private List<ArchitectureCode> architectures(boolean warmup)
    {
        SplittableRandom random = new SplittableRandom(Seeds.derive(parameters.seed(), Seeds.ARCHITECTURES, step));
        List<ArchitectureCode> codes = new ArrayList<>();
        if (parameters.method() == SearchMethod.FIXED) {
            // warm-up included: the baseline trains its one architecture from the first step
            return List.of(parameters.fixedCode().orElseThrow());
        }
        if (warmup) {
            for (int i = 0; i < parameters.architectureBatch(); i++) {
                codes.add(components.space().sample(random));
            }
            return codes;
        }
        int[] indices = new int[population.size()];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = i;
        }
        for (int i = 0; i < parameters.architectureBatch(); i++) {
            int j = i + random.nextInt(indices.length - i);
            int swap = indices[i];
            indices[i] = indices[j];
            indices[j] = swap;
            codes.add(population.individuals().get(indices[i]).code());
        }
        return codes;
    }

    private Population initialPopulation()
    {
        SplittableRandom random = new SplittableRandom(Seeds.derive(parameters.seed(), Seeds.POPULATION, 0));
        List<ArchitectureCode> codes = new ArrayList<>();
        Set<ArchitectureCode> distinct = new HashSet<>();
        // tiny spaces may hold fewer codes than K: then repeats are allowed
        for (int attempt = 0; codes.size() < parameters.population(); attempt++) {
            ArchitectureCode code = components.space().sample(random);
            if (distinct.add(code) || attempt > 100 * parameters.population()) {
                codes.add(code);
            }
        }
        return Population.ofCodes(codes);
    }

    /** The task pool of an epoch; the current one is kept, since a meta-step asks for it once per task. */
    private TaskPool pool(int epoch)
    {
        if (poolEpoch != epoch) {
            currentPool = new TaskPool(components.training(), parameters.taskPool(), Seeds.derive(parameters.seed(), Seeds.TASK_POOL, epoch));
            poolEpoch = epoch;
        }
        return currentPool;
    }

    private NetworkDescription describe(ArchitectureCode code)
    {
        return descriptions.computeIfAbsent(code, key -> components.space().describe(key, input, classes));
    }

    private void summarize(Population evaluated)
    {
        bestFitness = evaluated.best().requireFitness();
        meanFitness = evaluated.individuals().stream().mapToDouble(Individual::requireFitness).average().orElse(Double.NaN);
    }

    private Map<String, Object> generationLine(Population evaluated)
    {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("type", "generation");
        line.put("step", step);
        line.put("generation", generation);
        line.put("bestFitness", bestFitness);
        line.put("meanFitness", meanFitness);
        line.put("best", evaluated.best().code().format());
        if (!Double.isNaN(predictorQuality)) {
            // Spearman's rho of the predictions against the real fitness of the candidates evaluated for real
            line.put("predictorSpearman", predictorQuality);
        }
        return line;
    }

    private Path checkpoint()
    {
        lastCheckpoint = new Checkpoint(step, generation, population, components.configuration(), components.components(), supernet.state(),
                screen.map(PredictorScreen::pairs).orElse(List.of()))
                .write(runDirectory, supernetDescription, KEEP_CHECKPOINTS);
        return lastCheckpoint;
    }

    /** The last checkpoint written by this run, if any. */
    public Optional<Path> lastCheckpoint()
    {
        return Optional.ofNullable(lastCheckpoint);
    }

    private <T> T compute(Supplier<T> work)
    {
        long start = System.nanoTime();
        try {
            return work.get();
        }
        finally {
            computeNanos += System.nanoTime() - start;
        }
    }

    private <T> List<List<T>> emptyJobs()
    {
        List<List<T>> jobs = new ArrayList<>();
        for (int k = 0; k < parameters.workers(); k++) {
            jobs.add(new ArrayList<>());
        }
        return jobs;
    }

    @Override
    public void close()
    {
        try {
            workers.close();
        }
        finally {
            supernet.close();
        }
    }
}
