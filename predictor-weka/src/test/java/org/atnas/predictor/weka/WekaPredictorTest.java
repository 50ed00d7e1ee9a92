package org.atnas.predictor.weka;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.atnas.api.ArchitectureCode;
import org.atnas.api.Individual;
import org.atnas.api.Predictor;
import org.atnas.api.SearchSpace;
import org.atnas.api.plugin.ComponentContext;
import org.atnas.api.plugin.ComponentFactory;
import org.atnas.api.plugin.Setting;
import org.atnas.core.bench.RankCorrelation;
import org.atnas.searchspace.nasbench201.NasBench201SearchSpace;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WekaPredictorTest
{
    private static final SearchSpace SPACE = new NasBench201SearchSpace(5, 16, Optional.empty());

    /** A predictor of the plugin, with its settings at their defaults (or the given overrides). */
    static Predictor predictor(String name, Map<String, Object> overrides)
    {
        ComponentFactory<?> factory = new WekaPlugin().components().stream().filter(candidate -> candidate.name().equals(name)).findFirst().orElseThrow();
        ComponentContext context = new ComponentContext()
        {
            @Override
            @SuppressWarnings("unchecked")
            public <T> T get(Setting<T> setting)
            {
                return (T) overrides.getOrDefault(setting.key(), setting.defaultValue().orElseThrow());
            }

            @Override
            public <T> Optional<T> find(Setting<T> setting)
            {
                return Optional.of(get(setting));
            }
        };
        return (Predictor) factory.create(context);
    }

    /** The synthetic rule: fitness = how many edges hold nor_conv_3x3 (op 3). */
    private static double rule(ArchitectureCode code)
    {
        return Arrays.stream(code.toArray()).filter(op -> op == 3).count();
    }

    private static List<Individual> sample(int count, long seed)
    {
        SplittableRandom random = new SplittableRandom(seed);
        List<Individual> individuals = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ArchitectureCode code = SPACE.sample(random);
            individuals.add(Individual.evaluated(code, rule(code)));
        }
        return individuals;
    }

    @ParameterizedTest
    @ValueSource(strings = {"gaussian-process", "rbf", "random-forest"})
    void everyPredictorLearnsACountingRuleFrom200Samples(String name)
    {
        Predictor predictor = predictor(name, Map.of());
        predictor.train(SPACE, sample(200, 1), 7);
        List<Individual> test = sample(500, 2);
        double[] truth = test.stream().mapToDouble(Individual::requireFitness).toArray();
        double[] predicted = test.stream().mapToDouble(individual -> predictor.predict(individual.code())).toArray();
        assertThat(RankCorrelation.spearman(truth, predicted)).as(name).isGreaterThan(0.9);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gaussian-process", "rbf", "random-forest"})
    void predictionsAreDeterministicForASeed(String name)
    {
        List<Individual> training = sample(60, 3);
        Predictor first = predictor(name, Map.of());
        Predictor second = predictor(name, Map.of());
        first.train(SPACE, training, 11);
        second.train(SPACE, training, 11);
        for (Individual individual : sample(50, 4)) {
            assertThat(second.predict(individual.code())).isEqualTo(first.predict(individual.code()));
        }
    }

    @Test
    void misuseIsReportedClearly()
    {
        Predictor forest = predictor("random-forest", Map.of());
        assertThatThrownBy(() -> forest.predict(ArchitectureCode.parse("1,2,3,4,0,1")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Predictor [random-forest] has not been trained yet");
        assertThatThrownBy(() -> forest.train(SPACE, List.of(Individual.unevaluated(ArchitectureCode.parse("1,2,3,4,0,1")), Individual.evaluated(ArchitectureCode.parse("1,1,1,1,1,1"), 1),
                Individual.evaluated(ArchitectureCode.parse("2,2,2,2,2,2"), 2)), 1))
                .hasMessage("Predictor [random-forest] trains on evaluated architectures only; 1,2,3,4,0,1 has no fitness");
        assertThatThrownBy(() -> forest.train(SPACE, sample(2, 1), 1))
                .hasMessage("Predictor [random-forest] needs at least 3 evaluated architectures to train, got 2");
        assertThatThrownBy(() -> predictor("rbf", Map.of("rbf.encoding", "binary")))
                .hasMessage("Invalid value [binary] for key [rbf.encoding]: expected one-hot or integer");
        // the configuration refuses it before the factory runs, listing the choices
        assertThat(WekaPlugin.RBF_ENCODING.type()).isEqualTo("one of [one-hot, integer]");
        assertThatThrownBy(() -> WekaPlugin.RBF_ENCODING.parse("binary")).hasMessage("one of [one-hot, integer]");
    }

    @Test
    void oneHotAndIntegerEncodings()
    {
        ArchitectureCode code = ArchitectureCode.parse("3,0,1,2,4,0");
        assertThat(Encoding.ONE_HOT.features(SPACE)).hasSize(30).startsWith("p0=0", "p0=1");
        double[] oneHot = Encoding.ONE_HOT.encode(SPACE, code, 31);
        assertThat(oneHot[3]).isEqualTo(1);
        assertThat(Arrays.stream(oneHot).sum()).isEqualTo(6);
        assertThat(Encoding.INTEGER.encode(SPACE, code, 7)).containsExactly(3, 0, 1, 2, 4, 0, 0);
    }

    @Test
    void wekaLeavesTheUsersHomeAlone(@TempDir Path home)
            throws Exception
    {
        String previous = System.getProperty("user.home");
        System.setProperty("user.home", home.toString());
        try {
            for (String name : List.of("gaussian-process", "rbf", "random-forest")) {
                Predictor predictor = predictor(name, Map.of());
                predictor.train(SPACE, sample(30, 5), 1);
                predictor.predict(ArchitectureCode.parse("1,2,3,4,0,1"));
            }
        }
        finally {
            System.setProperty("user.home", previous);
        }
        try (Stream<Path> files = Files.list(home)) {
            assertThat(files).isEmpty();
        }
    }
}
