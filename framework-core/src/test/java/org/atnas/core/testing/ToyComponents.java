package org.atnas.core.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;

import org.atnas.api.ArchitectureCode;
import org.atnas.api.Evolver;
import org.atnas.api.FitnessTable;
import org.atnas.api.Gene;
import org.atnas.api.ImageShape;
import org.atnas.api.Individual;
import org.atnas.api.InvalidArchitectureException;
import org.atnas.api.Population;
import org.atnas.api.SearchSpace;
import org.atnas.api.network.NetworkDescription;
import org.atnas.api.plugin.ApiVersion;
import org.atnas.api.plugin.ComponentFactory;
import org.atnas.api.plugin.Plugin;
import org.atnas.api.plugin.Setting;
import org.atnas.core.plugin.InstalledPlugin;

/** Small components for engine tests: a toy space with a fitness table, and a hill-climbing evolver. */
public final class ToyComponents
{
    private ToyComponents() {}

    /** Codes of {@code length} digits 0..3, one gene per position; fitness = the sum of the digits. */
    public static final class ToySpace
            implements SearchSpace
    {
        private final int length;

        public ToySpace(int length)
        {
            this.length = length;
        }

        @Override
        public String name()
        {
            return "toy";
        }

        @Override
        public int codeLength()
        {
            return length;
        }

        @Override
        public int choices(int position)
        {
            return 4;
        }

        @Override
        public String optionName(int position, int value)
        {
            return "op" + value;
        }

        @Override
        public List<Gene> genes()
        {
            return IntStream.range(0, length).mapToObj(i -> new Gene("p" + i, new int[] {i})).toList();
        }

        @Override
        public ArchitectureCode sample(RandomGenerator random)
        {
            return ArchitectureCode.of(IntStream.range(0, length).map(i -> random.nextInt(4)).toArray());
        }

        @Override
        public int[] sampleGene(int gene, RandomGenerator random)
        {
            return new int[] {random.nextInt(4)};
        }

        @Override
        public void validate(ArchitectureCode code)
        {
            if (code.length() != length) {
                throw new InvalidArchitectureException("toy codes have " + length + " values");
            }
        }

        @Override
        public String toNotation(ArchitectureCode code)
        {
            return code.format();
        }

        @Override
        public ArchitectureCode fromNotation(String notation)
        {
            return ArchitectureCode.parse(notation);
        }

        @Override
        public NetworkDescription describe(ArchitectureCode code, ImageShape input, int classes)
        {
            throw new UnsupportedOperationException("the toy space has no network");
        }

        @Override
        public NetworkDescription describeSupernet(ImageShape input, int classes)
        {
            throw new UnsupportedOperationException("the toy space has no network");
        }

        @Override
        public Optional<FitnessTable> fitnessTable()
        {
            List<ArchitectureCode> codes = new ArrayList<>();
            for (int i = 0; i < Math.pow(4, length); i++) {
                int[] digits = new int[length];
                for (int p = 0, rest = i; p < length; p++, rest /= 4) {
                    digits[p] = rest % 4;
                }
                codes.add(ArchitectureCode.of(digits));
            }
            return Optional.of(new FitnessTable()
            {
                @Override
                public String metric()
                {
                    return "digit sum";
                }

                @Override
                public List<ArchitectureCode> codes()
                {
                    return codes;
                }

                @Override
                public OptionalDouble fitness(ArchitectureCode code)
                {
                    return OptionalDouble.of(IntStream.of(code.toArray()).sum());
                }

                @Override
                public double bestFitness()
                {
                    return 3.0 * length;
                }
            });
        }
    }

    /** Keeps the best half and fills up with one-gene mutants of the best. */
    public static final class HillClimber
            implements Evolver
    {
        @Override
        public String name()
        {
            return "hill";
        }

        @Override
        public Population evolve(Population evaluated, SearchSpace space, RandomGenerator random)
        {
            List<Individual> ranked = evaluated.ranked();
            List<Individual> next = new ArrayList<>(ranked.subList(0, Math.max(1, ranked.size() / 2)));
            ArchitectureCode best = ranked.get(0).code();
            while (next.size() < ranked.size()) {
                int gene = random.nextInt(space.genes().size());
                next.add(Individual.unevaluated(best.with(space.genes().get(gene).positions(), space.sampleGene(gene, random))));
            }
            return new Population(next);
        }

        @Override
        public Population halve(Population evaluated, SearchSpace space, RandomGenerator random)
        {
            return new Population(evaluated.ranked().subList(0, Math.max(1, evaluated.size() / 2)));
        }
    }

    public static final Setting<Integer> TOY_LENGTH = Setting.integer("toy.length", 4, 1, 8, "Digits per code.");
    public static final Setting<java.nio.file.Path> TOY_TABLE = Setting.path("toy.table", null, "A required path.");

    public static ComponentFactory<SearchSpace> toySpaceFactory()
    {
        return ComponentFactory.of(SearchSpace.class, "toy", "test toy", List.of(TOY_LENGTH, TOY_TABLE), context -> new ToySpace(context.get(TOY_LENGTH)));
    }

    public static ComponentFactory<Evolver> hillFactory()
    {
        return ComponentFactory.of(Evolver.class, "hill", "test hill", List.of(), context -> new HillClimber());
    }

    /** An installed plugin made of the given factories, living in the test's own class loader. */
    public static InstalledPlugin plugin(String name, List<ComponentFactory<?>> factories)
    {
        Plugin plugin = new Plugin()
        {
            @Override
            public String apiVersion()
            {
                return ApiVersion.CURRENT;
            }

            @Override
            public List<ComponentFactory<?>> components()
            {
                return factories;
            }
        };
        return new InstalledPlugin(name, "plugins/" + name, "1.0", ApiVersion.CURRENT, ToyComponents.class.getClassLoader(), plugin, factories);
    }
}
