package org.spin.model.convnext;

import java.util.List;
import org.spin.config.SpinConfig;

/** Configs of small isotropic ConvNeXts for the tests. */
final class TinyConvNeXt {

    private TinyConvNeXt() {}

    /** An unshared ConvNeXt-iso of width {@code dim} and {@code depth} blocks on 3-channel images, 5 classes. */
    static SpinConfig config(int dim, int depth, int patch, int kernel) {
        return SpinConfig.defaults().with("MODEL.ARCH", "convnext").with("CONVNEXT.DIM", dim)
                .with("CONVNEXT.DEPTH", depth).with("CONVNEXT.PATCH_SIZE", patch).with("CONVNEXT.KERNEL", kernel)
                .with("DATA.INPUT_CHANNEL_NUM", List.of(3)).with("MODEL.NUM_CLASSES", 5);
    }

    /** {@code cfg} shared at {@code rate} over {@code scope} (null: the default), strided so groups are not neighbours. */
    static SpinConfig shared(SpinConfig cfg, int rate, String scope) {
        return cfg.with("CONVNEXT.WEIGHT_SHARE.ENABLE", true).with("CONVNEXT.WEIGHT_SHARE.SHARE_RATE", rate)
                .with("CONVNEXT.WEIGHT_SHARE.SHARING_MAPPING", "strided").with("CONVNEXT.WEIGHT_SHARE.SCOPE", scope);
    }

    /** x[i] = sin(0.37·i): a fixed input without a random generator. */
    static float[] input(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) Math.sin(0.37 * i);
        }
        return x;
    }

    /** Every scope alone, the default, and everything. */
    static final List<String> SCOPES = List.of("depthwise", "expansion", "projection", "norm", "block",
            "depthwise,expansion,projection,norm");
}
