package org.spin.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.spin.model.layers.BatchNorm2d;
import org.spin.model.shared.OnnxExport;
import org.spin.model.shared.WeightFamily;
import org.spin.sharing.SharingPlan;

/** What every SPIN architecture offers the trainer, the checkpoint code and the counters. */
public interface SpinModel extends Block {

    /** (B, Cin, H, W) → logits (B, classes). */
    NDArray forward(NDArray x, boolean training);

    /**
     * Seeds the model's own generator, which training-mode draws (dropout) use; the trainer seeds it
     * from (seed, epoch, step) before every step, so a resumed run draws what an uninterrupted one does.
     */
    void reseed(long seed);

    /**
     * Every block's output for {@code x} in eval mode, in layer order, living in {@code x}'s
     * manager: what representation analysis (CKA between layers) compares. ConvMixer and ConvNeXt
     * give (B, C, h, w) after each block, ViT (B, N+1, C) tokens before its final norm.
     */
    List<NDArray> blockOutputs(NDArray x);

    /**
     * The eval-mode forward as ONNX nodes on {@code image} (B, Cin, H, W), each tensor an
     * initializer of {@code export}'s graph once; returns the logits' name.
     */
    String toOnnx(OnnxExport export, String image);

    /** Every tensor once, under the reference's state-dict keys, in the order of the module tree. */
    Map<String, Parameter> stateDict();

    /** Norm layers with a {@code num_batches_tracked} counter, by state-dict prefix. */
    Map<String, BatchNorm2d> batchNorms();

    /** The model's sharing plan (what its shared scopes follow). */
    SharingPlan plan();

    /** Every block weight, shared or not, as the plan stores it: one family per weight of a block. */
    List<WeightFamily> sharedTensors();

    /**
     * The state-dict keys the optimizer does not decay, as timm's {@code no_weight_decay()}: every
     * norm's scale and offset (SlowFast's default, {@code BN.WEIGHT_DECAY 0}), position embeddings and
     * tokens, layer scales, and the per-channel scale and shift of a dynamic relaxation.
     */
    Set<String> noWeightDecay();

    /** Keys that keep their initial values when a checkpoint lacks them (reduction weights, relaxations). */
    default List<String> freshKeys() {
        return sharedTensors().stream().flatMap(t -> t.freshKeys().stream()).toList();
    }
}
