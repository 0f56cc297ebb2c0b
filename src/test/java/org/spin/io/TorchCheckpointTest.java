package org.spin.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spin.SpinException;

/** Behaviour on hand-crafted checkpoints laid out exactly like torch.save output. */
class TorchCheckpointTest {

    private static final float[] SIX = {0, 1, 2, 3, 4, 5};

    @TempDir
    Path dir;

    @Test
    void viewsRespectOffsetSizeAndStride() throws IOException {
        PickleBuilder p = PickleBuilder.protocol2().orderedDict().mark();
        p.str("w").tensor("FloatStorage", "0", 6, 0, new long[] {2, 3}, new long[] {3, 1});
        p.str("transposed").tensor("FloatStorage", "0", 6, 0, new long[] {3, 2}, new long[] {1, 3});
        p.str("slice").tensor("FloatStorage", "0", 6, 4, new long[] {2}, new long[] {1});
        p.str("column").tensor("FloatStorage", "0", 6, 1, new long[] {2, 1}, new long[] {3, 1});
        p.setItems().stop();
        Path file = zip("views", p).writeTo(dir.resolve("views.pth"));

        Map<String, HostTensor> sd = TorchCheckpoint.readStateDict(file);

        assertThat(sd.get("w").toFloats()).containsExactly(SIX);
        assertThat(sd.get("transposed").shape()).containsExactly(3, 2);
        assertThat(sd.get("transposed").toFloats()).containsExactly(0, 3, 1, 4, 2, 5);
        assertThat(sd.get("slice").toFloats()).containsExactly(4, 5);
        assertThat(sd.get("column").toFloats()).containsExactly(1, 4);
    }

    @Test
    void keysKeepTheirPickleOrder() throws IOException {
        PickleBuilder p = PickleBuilder.protocol2().orderedDict().mark();
        List<String> names = new ArrayList<>();
        for (int i = 40; i > 0; i--) {
            names.add("layer" + i + ".bias");
            p.str("layer" + i + ".bias").tensor("FloatStorage", "0", 6, 0, new long[] {6}, new long[] {1});
        }
        p.setItems().stop();
        Path file = zip("order", p).writeTo(dir.resolve("order.pth"));

        assertThat(TorchCheckpoint.readStateDict(file).keySet()).containsExactlyElementsOf(names);
    }

    @Test
    void stateDictMetadataAttributeIsIgnored() throws IOException {
        PickleBuilder p = PickleBuilder.protocol2().orderedDict().mark();
        p.str("w").tensor("FloatStorage", "0", 6, 0, new long[] {6}, new long[] {1});
        p.setItems();
        p.emptyDict().str("_metadata").orderedDict().mark().str("").emptyDict().str("version").integer(1)
                .setItem().setItems().setItem().build().stop();
        Path file = zip("meta", p).writeTo(dir.resolve("meta.pth"));

        assertThat(TorchCheckpoint.readStateDict(file)).containsOnlyKeys("w");
    }

    @Test
    void parametersAreReadAsTheirData() throws IOException {
        PickleBuilder p = PickleBuilder.protocol2().emptyDict().str("p");
        p.global("torch._utils", "_rebuild_parameter").mark();
        p.tensor("FloatStorage", "0", 6, 0, new long[] {6}, new long[] {1});
        p.op(0x88).orderedDict().tuple().reduce().setItem().stop();
        Path file = zip("param", p).writeTo(dir.resolve("param.pth"));

        assertThat(TorchCheckpoint.readStateDict(file).get("p").toFloats()).containsExactly(SIX);
    }

    @Test
    void trainingCheckpointYieldsModelStateAndIgnoresTheRest() throws IOException {
        Path file = trainingCheckpoint();
        assertThat(TorchCheckpoint.readStateDict(file)).containsOnlyKeys("w");
    }

    @Test
    void topLevelGivesNonTensorEntries() throws IOException {
        Map<String, Object> top = TorchCheckpoint.readTopLevel(trainingCheckpoint());

        assertThat(top).containsEntry("epoch", 7).containsEntry("cfg", "MODEL:\n  DIM: 32\n");
        @SuppressWarnings("unchecked")
        Map<String, Object> optimizer = (Map<String, Object>) top.get("optimizer_state");
        assertThat(optimizer.get("param_groups")).isEqualTo(List.of(Map.of("lr", 0.1, "betas", List.of(0.9, 0.999))));
        assertThat(optimizer.get("state")).isInstanceOf(Map.class);
    }

    @Test
    void nonTensorValueInStateDictIsNamed() throws IOException {
        PickleBuilder p = PickleBuilder.protocol2().emptyDict().mark();
        p.str("w").tensor("FloatStorage", "0", 6, 0, new long[] {6}, new long[] {1});
        p.str("epoch").integer(3);
        p.setItems().stop();
        Path file = zip("mixed", p).writeTo(dir.resolve("mixed.pth"));

        assertThatThrownBy(() -> TorchCheckpoint.readStateDict(file))
                .isInstanceOf(SpinException.class)
                .hasMessageStartingWith(file.toString())
                .hasMessageContaining("'epoch' is an int; expected a tensor");
    }

    @Test
    void checkpointsWithoutByteorderEntryAreLittleEndian() throws IOException {
        PickleBuilder p = PickleBuilder.protocol2().emptyDict().str("w")
                .tensor("FloatStorage", "0", 6, 0, new long[] {6}, new long[] {1}).setItem().stop();
        Path file = zip("old", p).byteOrder(null).writeTo(dir.resolve("old.pth"));

        assertThat(TorchCheckpoint.readStateDict(file).get("w").toFloats()).containsExactly(SIX);
    }

    /**
     * facebookresearch/ConvNeXt's and DeiT's checkpoints keep the weights under "model" (ConvNeXt's
     * average beside them under "model_ema"); a file with only the average, and Lightning's
     * "state_dict", load too.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"model+model_ema", "model_ema", "state_dict"})
    void weightsKeptUnderTheOtherTrainersKeysLoad(String layout) throws IOException {
        PickleBuilder p = PickleBuilder.protocol2().emptyDict().mark();
        p.str("epoch").integer(299);
        String first = layout.split("\\+")[0];
        p.str(first).orderedDict().str("w").tensor("FloatStorage", "0", 6, 0, new long[] {6}, new long[] {1}).setItem();
        if (layout.contains("+")) {
            // the average: another tensor under the same name, which must not be the one read
            p.str("model_ema").orderedDict().str("w").tensor("LongStorage", "1", 1, 0, new long[] {1}, new long[] {1})
                    .setItem();
        }
        p.setItems().stop();
        Path file = zip(layout.replace('+', '_'), p).writeTo(dir.resolve(layout.replace('+', '_') + ".pth"));
        Map<String, HostTensor> sd = TorchCheckpoint.readStateDict(file);
        assertThat(sd).containsOnlyKeys("w");
        assertThat(sd.get("w").toFloats()).containsExactly(SIX);
    }

    /** {epoch: 7, cfg: str, model_state: OrderedDict(w), optimizer_state: {state: {0: {...}}, param_groups: [...]}}. */
    private Path trainingCheckpoint() throws IOException {
        PickleBuilder p = PickleBuilder.protocol2().emptyDict().mark();
        p.str("epoch").integer(7);
        p.str("cfg").str("MODEL:\n  DIM: 32\n");
        p.str("model_state").orderedDict().str("w")
                .tensor("FloatStorage", "0", 6, 0, new long[] {6}, new long[] {1}).setItem();
        p.str("optimizer_state").emptyDict().mark();
        p.str("state").emptyDict().integer(0).emptyDict().str("momentum_buffer")
                .tensor("FloatStorage", "1", 6, 0, new long[] {6}, new long[] {1}).setItem().setItem();
        p.str("param_groups").emptyList().emptyDict().mark().str("lr").binFloat(0.1)
                .str("betas").binFloat(0.9).binFloat(0.999).op(0x86).setItems().append();
        p.setItems();
        p.setItems().stop();
        return new TorchZipBuilder("ckpt").pickle(p.bytes())
                .storage("0", HostTensor.ofFloats(new long[] {6}, SIX).data())
                .storage("1", new byte[24])
                .writeTo(dir.resolve("train.pyth"));
    }

    private static TorchZipBuilder zip(String prefix, PickleBuilder p) {
        return new TorchZipBuilder(prefix).pickle(p.bytes())
                .storage("0", HostTensor.ofFloats(new long[] {6}, SIX).data())
                .storage("1", HostTensor.ofLongs(new long[] {1}, new long[] {5}).data());
    }
}
