package org.atnas.core.search;

import java.io.DataInputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.atnas.api.ArchitectureCode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClusterWireTest
{
    @Test
    void aMetaStepAndItsResultsCrossBitForBit()
            throws Exception
    {
        Map<String, float[]> weights = new LinkedHashMap<>();
        weights.put("stem.weight", new float[] {0.1f, -2.5e-8f, Float.MIN_VALUE});
        weights.put("classifier.bias", new float[] {3f});
        ClusterWire.Step step = new ClusterWire.Step("session", 7, ClusterWire.weights(weights),
                List.of(new ClusterWire.WorkerPairs(1, List.of(new ClusterWire.RemotePair(-42L, ArchitectureCode.of(1, 0, 3)), new ClusterWire.RemotePair(5L, ArchitectureCode.of(2, 2))))));
        DataInputStream in = ClusterWire.open(ClusterWire.step(step));
        assertThat(in.readByte()).isEqualTo(ClusterWire.STEP);
        ClusterWire.Step read = ClusterWire.readStep(in);
        assertThat(read.session()).isEqualTo("session");
        assertThat(read.number()).isEqualTo(7);
        assertThat(read.workers()).isEqualTo(step.workers());
        Map<String, float[]> readWeights = ClusterWire.readWeights(read.weights());
        assertThat(readWeights.keySet()).containsExactly("stem.weight", "classifier.bias");
        assertThat(readWeights.get("stem.weight")).containsExactly(0.1f, -2.5e-8f, Float.MIN_VALUE);

        // a float32 backend's values go as floats, a float64 backend's as doubles: both arrive exactly
        Map<String, double[]> gradient = new LinkedHashMap<>();
        gradient.put("float32", new double[] {0.1f, -3f});
        gradient.put("float64", new double[] {0.1, Math.PI});
        ClusterWire.StepResult result = new ClusterWire.StepResult(1234L, List.of(List.of(new ClusterWire.PairResult(0.5, 0.75, gradient))), null);
        byte[] bytes = ClusterWire.stepResult(result);
        ClusterWire.StepResult back = ClusterWire.readStepResult(bytes);
        assertThat(back.computeNanos()).isEqualTo(1234L);
        assertThat(back.nonFinite()).isNull();
        ClusterWire.PairResult pair = back.workers().get(0).get(0);
        assertThat(pair.queryLoss()).isEqualTo(0.5);
        assertThat(pair.queryAccuracy()).isEqualTo(0.75);
        assertThat(pair.gradient().get("float32")).containsExactly(0.1f, -3f);
        assertThat(pair.gradient().get("float64")).containsExactly(0.1, Math.PI);
        // 4 + 8 + 1 + 4 + 4 + 8 + 8 + 4, then per parameter a name, a width, a length: the float32 one in 4 bytes a value
        assertThat(bytes.length).isEqualTo(41 + (2 + 7 + 1 + 4 + 2 * 4) + (2 + 7 + 1 + 4 + 2 * 8));

        assertThat(ClusterWire.readStepResult(ClusterWire.stepResult(new ClusterWire.StepResult(1, List.of(), "The support loss is NaN"))).nonFinite())
                .isEqualTo("The support loss is NaN");
    }

    @Test
    void aMessageOfAnotherVersionIsRefused()
    {
        byte[] status = ClusterWire.status("refused because");
        assertThat(ClusterWire.readStatus(status)).isEqualTo("refused because");
        assertThat(ClusterWire.readStatus(ClusterWire.status(null))).isNull();
        status[3] = 9;
        assertThatThrownBy(() -> ClusterWire.readStatus(status))
                .hasMessage("A worker's reply to a session is malformed: the message is of wire version 9, this JVM speaks version 1");
    }

    @Test
    void aWorkerSaysWhatDiffersFromTheCoordinator()
    {
        ClusterFingerprint coordinator = new ClusterFingerprint("1.2", List.of("backend-djl 0.1.0", "cluster-hazelcast 0.1.0"), "SHA-256 ab of 3 files");
        assertThat(coordinator.differences(coordinator)).isEmpty();
        ClusterFingerprint worker = new ClusterFingerprint("1.1", List.of("backend-djl 0.2.0", "cluster-hazelcast 0.1.0"), "SHA-256 cd of 3 files");
        assertThat(worker.differences(coordinator)).hasValue("API version 1.1 here, 1.2 at the coordinator; "
                + "plugins differ: the coordinator has [backend-djl 0.1.0] that this worker lacks, this worker has [backend-djl 0.2.0] that the coordinator lacks; "
                + "data differ: SHA-256 cd of 3 files here, SHA-256 ab of 3 files at the coordinator");
    }
}
