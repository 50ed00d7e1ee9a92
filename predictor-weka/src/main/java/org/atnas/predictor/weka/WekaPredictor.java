package org.atnas.predictor.weka;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.atnas.api.ArchitectureCode;
import org.atnas.api.Individual;
import org.atnas.api.Predictor;
import org.atnas.api.SearchSpace;
import weka.classifiers.Classifier;
import weka.core.Attribute;
import weka.core.DenseInstance;
import weka.core.Instances;
import weka.core.Randomizable;

import static java.util.Objects.requireNonNull;

/** A performance predictor on a Weka regressor: features from the code's {@link Encoding}, fitness as the numeric class. */
final class WekaPredictor
        implements Predictor
{
    /** Fewer pairs than this cannot fit a regressor of a code's features meaningfully. */
    static final int MINIMUM_PAIRS = 3;

    private final String name;
    private final Supplier<Classifier> regressor;
    private final Encoding encoding;
    private SearchSpace space;
    private Classifier trained;
    private Instances header;

    WekaPredictor(String name, Supplier<Classifier> regressor, Encoding encoding)
    {
        this.name = requireNonNull(name, "name is null");
        this.regressor = requireNonNull(regressor, "regressor is null");
        this.encoding = requireNonNull(encoding, "encoding is null");
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public void train(SearchSpace space, List<Individual> evaluated, long seed)
    {
        requireNonNull(space, "space is null");
        if (evaluated.size() < MINIMUM_PAIRS) {
            throw new IllegalArgumentException("Predictor [" + name + "] needs at least " + MINIMUM_PAIRS + " evaluated architectures to train, got " + evaluated.size());
        }
        ArrayList<Attribute> attributes = new ArrayList<>();
        for (String feature : encoding.features(space)) {
            attributes.add(new Attribute(feature));
        }
        attributes.add(new Attribute("fitness"));
        Instances data = new Instances("architectures", attributes, evaluated.size());
        data.setClassIndex(attributes.size() - 1);
        for (Individual individual : evaluated) {
            space.validate(individual.code());
            double[] features = encoding.encode(space, individual.code(), attributes.size());
            features[attributes.size() - 1] = individual.fitness()
                    .orElseThrow(() -> new IllegalArgumentException("Predictor [" + name + "] trains on evaluated architectures only; " + individual.code() + " has no fitness"));
            data.add(new DenseInstance(1, features));
        }
        Classifier classifier = regressor.get();
        if (classifier instanceof Randomizable randomizable) {
            randomizable.setSeed((int) (seed ^ (seed >>> 32)));
        }
        try {
            classifier.buildClassifier(data);
        }
        catch (Exception e) {
            throw new IllegalStateException("Predictor [" + name + "] failed to train on " + evaluated.size() + " architectures: " + e.getMessage(), e);
        }
        this.space = space;
        this.header = new Instances(data, 0);
        this.trained = classifier;
    }

    @Override
    public double predict(ArchitectureCode code)
    {
        if (trained == null) {
            throw new IllegalStateException("Predictor [" + name + "] has not been trained yet");
        }
        space.validate(code);
        DenseInstance instance = new DenseInstance(1, encoding.encode(space, code, header.numAttributes()));
        instance.setDataset(header);
        try {
            return trained.classifyInstance(instance);
        }
        catch (Exception e) {
            throw new IllegalStateException("Predictor [" + name + "] failed to predict " + code + ": " + e.getMessage(), e);
        }
    }
}
