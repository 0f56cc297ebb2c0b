package org.spin.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.spin.Fixtures;

/** The Python reference wrote the same weights three ways; all readers must agree bit for bit. */
class ReferenceFixturesTest {

    @ParameterizedTest
    @ValueSource(strings = {"convmixer_plain", "ws_seq_sr2", "wf_mean_sr2"})
    void safetensorsFixturesHoldFloatWeights(String name) {
        SafeTensorsFile file = SafeTensors.read(Fixtures.reference(name + ".safetensors"));
        assertThat(file.tensors()).isNotEmpty().containsKey("head.fc.weight");
        assertThat(file.tensors().get("head.fc.weight").shape()).containsExactly(10, 32);
        assertThat(file.tensors().values()).allSatisfy(t -> assertThat(t.dtype()).isEqualTo(DType.F32));
    }

    @ParameterizedTest
    @ValueSource(strings = {"convmixer_plain", "ws_seq_sr2", "wf_mean_sr2"})
    void inputAndLogitsFixturesHaveTheDocumentedShapes(String name) {
        HostTensor input = SafeTensors.read(Fixtures.reference(name + ".input.safetensors")).tensors().get("input");
        HostTensor logits = SafeTensors.read(Fixtures.reference(name + ".logits.safetensors")).tensors().get("logits");
        assertThat(input.dtype()).isEqualTo(DType.F32);
        assertThat(input.shape()).containsExactly(2, 3, 16, 16);
        assertThat(logits.shape()).containsExactly(2, 10);
    }

    @ParameterizedTest
    @ValueSource(strings = {"convmixer_plain", "ws_seq_sr2", "wf_mean_sr2"})
    void stateDictPthMatchesSafetensors(String name) {
        assertSameWeights(TorchCheckpoint.readStateDict(Fixtures.reference(name + ".pth")), name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"convmixer_plain", "ws_seq_sr2", "wf_mean_sr2"})
    void trainingCheckpointModelStateMatchesSafetensors(String name) {
        assertSameWeights(TorchCheckpoint.readStateDict(Fixtures.reference(name + ".ckpt.pth")), name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"convmixer_plain", "ws_seq_sr2", "wf_mean_sr2"})
    void batchCountersAreInt64Scalars(String name) {
        Map<String, HostTensor> pth = TorchCheckpoint.readStateDict(Fixtures.reference(name + ".pth"));
        assertThat(pth).hasKeySatisfying(new org.assertj.core.api.Condition<>(
                k -> k.endsWith(".num_batches_tracked"), "a batch counter"));
        pth.forEach((key, t) -> {
            if (key.endsWith(".num_batches_tracked")) {
                assertThat(t.dtype()).isEqualTo(DType.I64);
                assertThat(t.shape()).isEmpty();
                assertThat(t.toLongs()[0]).isNotNegative();
            }
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"convmixer_plain", "ws_seq_sr2", "wf_mean_sr2"})
    void topLevelOfTrainingCheckpointExposesEpoch(String name) {
        Map<String, Object> top = TorchCheckpoint.readTopLevel(Fixtures.reference(name + ".ckpt.pth"));
        assertThat(top).containsEntry("epoch", 1).containsKey("model_state");
    }

    /** Same keys in the same order (safetensors omits batch counters), same dtype, shape and bytes. */
    private static void assertSameWeights(Map<String, HostTensor> fromPth, String name) {
        Map<String, HostTensor> expected = SafeTensors.read(Fixtures.reference(name + ".safetensors")).tensors();
        Map<String, HostTensor> comparable = new LinkedHashMap<>(fromPth);
        comparable.keySet().removeIf(k -> k.endsWith(".num_batches_tracked") && !expected.containsKey(k));
        assertThat(comparable).containsExactlyEntriesOf(expected);
    }
}
