package org.atnas.backend.nd4j;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.atnas.api.ArchitectureCode;
import org.atnas.api.BackendWorker;
import org.atnas.api.ImageShape;
import org.atnas.api.Loss;
import org.atnas.api.MetaUpdate;
import org.atnas.api.Subnet;
import org.atnas.api.Supernet;
import org.atnas.api.Weights;
import org.atnas.api.network.NetworkDescription;
import org.atnas.backend.conformance.Networks;
import org.atnas.searchspace.darts.DartsSearchSpace;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@code nd4j.op-times}: the gradient passes by batch size, and their ops, as the backend reports them. */
class OpTimesTest
{
    private static final ImageShape INPUT = new ImageShape(1, 28, 28);
    private static final Pattern PASS_ROW = Pattern.compile("^\\s+(\\d+)\\s+(\\d+)\\s+([\\d.]+)\\s+([\\d.]+)\\s+([-\\d.]+) \\(\\s*-?\\d+%\\)$", Pattern.MULTILINE);
    private static final Pattern OP_ROW = Pattern.compile("^(\\S+)\\s+([\\d.]+)\\s+([\\d.]+)%\\s+(\\d+)\\s+([\\d.]+)$", Pattern.MULTILINE);

    @Test
    void theReportCountsEachBatchSizesGradientPassesAndEveryOpOfThem()
    {
        NetworkDescription network = new DartsSearchSpace(2, 8, 2).describe(ArchitectureCode.parse("4,4,4,4,0,3,4,0,0,3,0,6,0,0,1,1,0,1,3,1,0,3,0,0,1,3,0,0"), INPUT, 5);
        Nd4jBackend backend = new Nd4jBackend(1, 1536, 0, DataType.FLOAT, true);
        OpTimes times;
        try (Supernet supernet = backend.createSupernet(network, MetaUpdate.adam(0.001), 1); BackendWorker worker = supernet.newWorker()) {
            times = ((Nd4jSupernet) supernet).opTimes().orElseThrow();
            assertThat(times.report(100)).as("before any pass").isEmpty();
            Subnet subnet = worker.compile(network);
            try (Weights weights = worker.weights(subnet, false)) {
                for (int size : new int[] {2, 3, 3}) {
                    try (Loss loss = worker.forward(subnet, weights, Networks.batch(INPUT, size, 5, size))) {
                        assertThat(loss.value()).isPositive();
                    }
                }
                // an inference pass is neither a gradient pass nor counted among their ops
                assertThat(worker.logits(subnet, weights, Networks.batch(INPUT, 4, 5, 1))).hasSize(4 * 5);
            }
        }
        String report = times.report(1000);

        Map<Integer, Integer> passes = new HashMap<>();
        Matcher row = PASS_ROW.matcher(report);
        while (row.find()) {
            passes.put(Integer.parseInt(row.group(1)), Integer.parseInt(row.group(2)));
            assertThat(Double.parseDouble(row.group(4))).as("ms in ops of a pass over %s images", row.group(1)).isPositive().isLessThan(Double.parseDouble(row.group(3)));
        }
        assertThat(passes).as(report).isEqualTo(Map.of(2, 1, 3, 2));

        Map<String, Long> calls = new HashMap<>();
        double shares = 0;
        Matcher op = OP_ROW.matcher(report);
        while (op.find()) {
            calls.put(op.group(1), Long.parseLong(op.group(4)));
            shares += Double.parseDouble(op.group(3));
        }
        assertThat(shares).as(report).isCloseTo(100, within(0.1 * calls.size()));
        // three gradient passes: every convolution forward has its backward, and the three passes ran the same ops
        assertThat(calls.get("conv2d")).as(report).isPositive().isEqualTo(calls.get("conv2d_bp")).matches(count -> count % 3 == 0);
        assertThat(calls.get("moments") % 3).isZero();
    }

    @Test
    void withoutTheSettingNothingIsTimed()
    {
        NetworkDescription network = new DartsSearchSpace(2, 8, 2).describe(ArchitectureCode.parse("4,4,4,4,0,3,4,0,0,3,0,6,0,0,1,1,0,1,3,1,0,3,0,0,1,3,0,0"), INPUT, 5);
        try (Supernet supernet = new Nd4jBackend(1, 1536, 0, DataType.FLOAT).createSupernet(network, MetaUpdate.adam(0.001), 1)) {
            assertThat(((Nd4jSupernet) supernet).opTimes()).isEmpty();
        }
    }
}
