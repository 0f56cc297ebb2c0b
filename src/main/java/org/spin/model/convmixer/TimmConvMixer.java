package org.spin.model.convmixer;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.spin.model.StateDictLayout;

/**
 * timm's ConvMixer state dicts ({@code convmixer_768_32}, {@code convmixer_1536_20} from
 * huggingface/pytorch-image-models) under the SPIN reference's keys. timm builds the model from
 * {@code nn.Sequential}s, so its keys are indices: the stem is (conv, act, BN), block i is
 * (Residual((dwconv, act, BN)), conv1x1, act, BN). Its block has no residual around the pointwise
 * conv: the same model as ours is {@code CONVMIXER.POINTWISE_RESIDUAL False}.
 */
final class TimmConvMixer {

    private TimmConvMixer() {}

    /** BatchNorm's tensors: the affine pair and the running statistics. */
    private static final String BN = "(weight|bias|running_mean|running_var|num_batches_tracked)";
    private static final Pattern STEM_CONV = Pattern.compile("stem\\.0\\.(weight|bias)");
    private static final Pattern STEM_BN = Pattern.compile("stem\\.2\\." + BN);
    private static final Pattern DWISE = Pattern.compile("blocks\\.(\\d+)\\.0\\.fn\\.0\\.(weight|bias)");
    private static final Pattern BN1 = Pattern.compile("blocks\\.(\\d+)\\.0\\.fn\\.2\\." + BN);
    private static final Pattern PWISE = Pattern.compile("blocks\\.(\\d+)\\.1\\.(weight|bias)");
    private static final Pattern BN2 = Pattern.compile("blocks\\.(\\d+)\\.3\\." + BN);
    private static final Pattern HEAD = Pattern.compile("head\\.(weight|bias)");

    /** Recognised by the stem's BatchNorm and the first block's depthwise conv, which no other layout we read has. */
    static final StateDictLayout LAYOUT = new StateDictLayout("timm ConvMixer",
            "stem.{0,2}.*, blocks.N.0.fn.{0,2}.*, blocks.N.{1,3}.*, head.*",
            Set.of("stem.2.running_var", "blocks.0.0.fn.0.weight"), TimmConvMixer::ourKey, key -> null);

    /** The reference's key for timm's, or null: the pointwise conv is {@code pwise_w.i}, kept at model level. */
    static String ourKey(String key) {
        Matcher m;
        if ((m = STEM_CONV.matcher(key)).matches()) {
            return "patch_embed.conv." + m.group(1);
        }
        if ((m = STEM_BN.matcher(key)).matches()) {
            return "patch_embed.bn." + m.group(1);
        }
        if ((m = DWISE.matcher(key)).matches()) {
            return "blocks." + m.group(1) + ".dwise_blk.0." + m.group(2);
        }
        if ((m = BN1.matcher(key)).matches()) {
            return "blocks." + m.group(1) + ".dwise_blk.2." + m.group(2);
        }
        if ((m = PWISE.matcher(key)).matches()) {
            return (m.group(2).equals("weight") ? "pwise_w." : "pwise_b.") + m.group(1);
        }
        if ((m = BN2.matcher(key)).matches()) {
            return "blocks." + m.group(1) + ".bn2." + m.group(2);
        }
        if ((m = HEAD.matcher(key)).matches()) {
            return "head.fc." + m.group(1);
        }
        return null;
    }
}
