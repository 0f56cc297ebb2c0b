package org.spin.model.convnext;

import java.util.List;
import org.spin.model.ModelCost;
import org.spin.model.ModelCost.Part;
import org.spin.model.shared.Sharing;

/**
 * Closed-form size and compute of an isotropic ConvNeXt, from its config alone (the tests check
 * these against the built model and the paper's counts).
 *
 * <p>Parameters are trainable ones, each shared slot once, plus relaxations; a fusion model counts
 * as its export. MACs are multiply-accumulates per image of the convs and linears (LayerNorm, GELU,
 * the pool and the residuals not counted); FLOPs are 2 × MACs.
 */
public record ConvNeXtCost(long uniqueParams, long unsharedParams, long stemMacs, long depthwiseMacs,
                           long expansionMacs, long projectionMacs, long headMacs) {

    public static ConvNeXtCost of(ConvNeXtConfig c, int imageSize) {
        long ch = c.dim();
        long hidden = c.hidden();
        long depth = c.depth();
        long kk = (long) c.kernel() * c.kernel();
        long p = c.patchSize();
        Sharing sh = c.sharing();
        long stem = ch * c.inChannels() * p * p + ch;
        long depthwise = ch * kk + ch;
        long norm = 2 * ch;
        long expansion = hidden * ch + hidden;
        long projection = ch * hidden + ch + (c.layerScale() ? ch : 0);
        long fixed = stem + norm + ch * c.numClasses() + c.numClasses(); // stem, final norm, head
        long shared = sh.copies("depthwise") * depthwise + sh.copies("norm") * norm
                + sh.copies("expansion") * expansion + sh.copies("projection") * projection
                // relaxation acts on matrices only: (out, in) = (C, K·K), (4C, C), (C, 4C)
                + sh.relaxationParams("depthwise", ch, kk) + sh.relaxationParams("expansion", hidden, ch)
                + sh.relaxationParams("projection", ch, hidden);
        long tokens = (long) c.gridSize(imageSize) * c.gridSize(imageSize);
        return new ConvNeXtCost(fixed + shared, fixed + depth * (depthwise + norm + expansion + projection),
                ch * c.inChannels() * p * p * tokens,
                depth * ch * kk * tokens,
                depth * hidden * ch * tokens,
                depth * ch * hidden * tokens,
                ch * c.numClasses());
    }

    public ModelCost toModelCost() {
        return new ModelCost(uniqueParams, unsharedParams, List.of(new Part("stem", stemMacs),
                new Part("depthwise", depthwiseMacs), new Part("expansion", expansionMacs),
                new Part("projection", projectionMacs), new Part("head", headMacs)));
    }
}
