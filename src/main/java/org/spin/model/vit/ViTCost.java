package org.spin.model.vit;

import java.util.List;
import org.spin.model.ModelCost;
import org.spin.model.ModelCost.Part;
import org.spin.model.shared.Sharing;

/**
 * Closed-form size and compute of a ViT, from its config alone (the tests check these against
 * the built model and DeiT's published counts).
 *
 * <p>Parameters are trainable ones, counting each shared slot once ({@link Sharing#copies}) plus
 * relaxations; a fusion model counts as its export. MACs are per image: the linears on all N+1
 * tokens, and attention's two products, q·kᵀ and attn·v, at (N+1)²·C each.
 */
public record ViTCost(long uniqueParams, long unsharedParams, long patchEmbedMacs, long qkvMacs,
                      long attentionMacs, long projMacs, long mlpMacs, long headMacs) {

    public static ViTCost of(ViTConfig c, int imageSize) {
        long ch = c.embedDim();
        long hidden = c.mlpHidden();
        long depth = c.depth();
        long p = c.patchSize();
        long n = c.tokens(imageSize); // patches + class token
        long classes = c.numClasses();
        Sharing sh = c.sharing();

        long patch = ch * c.inChannels() * p * p + ch;
        long embed = ch + n * ch; // cls_token, pos_embed
        long attention = 3 * ch * ch + (c.qkvBias() ? 3 * ch : 0) + ch * ch + ch; // qkv, proj
        long mlp = hidden * ch + hidden + ch * hidden + ch; // fc1, fc2
        long norms = 4 * ch; // norm1, norm2: scale and offset each
        long head = ch * classes + classes;
        long fixed = patch + embed + 2 * ch + head; // final norm too
        long relaxations = sh.relaxationParams("attention", 3 * ch, ch) + sh.relaxationParams("attention", ch, ch)
                + sh.relaxationParams("mlp", hidden, ch) + sh.relaxationParams("mlp", ch, hidden);
        long unique = fixed + sh.copies("attention") * attention + sh.copies("mlp") * mlp
                + sh.copies("norm") * norms + relaxations;
        long unshared = fixed + depth * (attention + mlp + norms);
        return new ViTCost(unique, unshared,
                ch * c.inChannels() * p * p * (n - 1),
                depth * n * ch * 3 * ch,
                depth * 2 * n * n * ch,
                depth * n * ch * ch,
                depth * n * 2 * ch * hidden,
                ch * classes);
    }

    public ModelCost modelCost() {
        return new ModelCost(uniqueParams, unsharedParams, List.of(new Part("patch embed", patchEmbedMacs),
                new Part("qkv", qkvMacs), new Part("attention", attentionMacs), new Part("proj", projMacs),
                new Part("mlp", mlpMacs), new Part("head", headMacs)));
    }
}
