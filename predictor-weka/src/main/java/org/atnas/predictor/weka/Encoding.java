package org.atnas.predictor.weka;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.atnas.api.ArchitectureCode;
import org.atnas.api.SearchSpace;

/** How an architecture code becomes the features of a regressor. */
public enum Encoding
{
    /** One 0/1 feature per (position, value): which op each edge holds. The default: ops have no order. */
    ONE_HOT("one-hot"),
    /** One feature per position holding its value as a number. */
    INTEGER("integer");

    private final String configName;

    Encoding(String configName)
    {
        this.configName = configName;
    }

    public String configName()
    {
        return configName;
    }

    public static Optional<Encoding> fromConfigName(String name)
    {
        for (Encoding encoding : values()) {
            if (encoding.configName.equals(name)) {
                return Optional.of(encoding);
            }
        }
        return Optional.empty();
    }

    /** The names of the features of a space's codes. */
    List<String> features(SearchSpace space)
    {
        List<String> names = new ArrayList<>();
        for (int position = 0; position < space.codeLength(); position++) {
            if (this == INTEGER) {
                names.add("p" + position);
                continue;
            }
            for (int value = 0; value < space.choices(position); value++) {
                names.add("p" + position + "=" + value);
            }
        }
        return names;
    }

    /** The features of a code, as many as {@link #features}. */
    double[] encode(SearchSpace space, ArchitectureCode code, int featureCount)
    {
        double[] features = new double[featureCount];
        int offset = 0;
        for (int position = 0; position < space.codeLength(); position++) {
            if (this == INTEGER) {
                features[position] = code.get(position);
                continue;
            }
            features[offset + code.get(position)] = 1;
            offset += space.choices(position);
        }
        return features;
    }
}
