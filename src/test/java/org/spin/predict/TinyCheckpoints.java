package org.spin.predict;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.spin.config.SpinConfig;
import org.spin.io.CheckpointFormat;
import org.spin.model.Models;
import org.spin.model.SpinModel;
import org.spin.train.Checkpoints;
import org.spin.train.RunRecord;

/** Small random-weight checkpoints, written as training writes them, for inference tests. */
public final class TinyCheckpoints {

    private TinyCheckpoints() {}

    /**
     * ConvMixer-16/4 (P4, K3) shared at rate 2 (plan 0,0,1,1), 10 classes, on {@code dataset}'s
     * config. The head is scaled up from its N(0, 0.01) init so the probabilities differ clearly
     * and an ordering test means something.
     *
     * @param extra more {@code KEY VALUE} overrides
     */
    public static Path write(Path dir, String name, String dataset, int channels, String... extra) {
        List<String> o = new ArrayList<>(List.of("TRAIN.DATASET", dataset, "CONVMIXER.CHANNEL", "16",
                "CONVMIXER.DEPTH", "4", "CONVMIXER.PATCH_KERNEL", "4", "CONVMIXER.PATCH_STRIDE", "4",
                "CONVMIXER.WEIGHT_SHARE.ENABLE", "true", "CONVMIXER.WEIGHT_SHARE.SHARE_RATE", "2",
                "DATA.INPUT_CHANNEL_NUM", "[" + channels + "]", "RNG_SEED", "7"));
        if (channels == 3) {
            o.addAll(List.of("DATA.MEAN", "[0.4, 0.5, 0.6]", "DATA.STD", "[0.2, 0.25, 0.3]"));
        }
        o.addAll(List.of(extra));
        SpinConfig cfg = SpinConfig.defaults().withOverrides(o);
        try (NDManager manager = NDManager.newBaseManager()) {
            SpinModel model = Models.build(cfg, manager, 28);
            model.stateDict().get("head.fc.weight").getArray().muli(300);
            Checkpoints.save(dir, name, model, null,
                    Checkpoints.metadata(RunRecord.of(cfg), model, new CheckpointFormat.Position(1, 0), 0.5));
        }
        return CheckpointFormat.modelFile(dir, name);
    }
}
