package org.spin.model.convmixer;

import org.spin.model.shared.Sharing;

/**
 * Closed-form size and compute of a ConvMixer, from its config alone (the tests check these
 * against the built model and the reference's counts).
 *
 * <p>Parameters are trainable ones (BatchNorm running statistics excluded), counting each shared
 * slot once, plus relaxations; a fusion model counts as its export. MACs are multiply-accumulates per image for the conv and linear layers; FLOPs are
 * 2 × MACs. (The reference's tooling prints MACs and calls them "FLOPs".)
 */
public record ConvMixerCost(long uniqueParams, long unsharedParams, long patchEmbedMacs, long depthwiseMacs,
                            long pointwiseMacs, long headMacs) {

    public static ConvMixerCost of(ConvMixerConfig c, int imageSize) {
        long ch = c.channels();
        long depth = c.depth();
        long k = c.kernel();
        long p = c.patchKernel();
        Sharing sh = c.sharing();
        long bn = 2 * ch;
        long patch = ch * c.inChannels() * p * p + ch + bn;
        long depthwise = ch * k * k + ch;
        long pointwise = ch * ch + ch;
        long head = ch * c.numClasses() + c.numClasses();
        long perLayer = sh.copies("depthwise") * depthwise + sh.copies("norm") * 2 * bn
                + sh.relaxationParams("depthwise", ch, k * k) + sh.relaxationParams("pointwise", ch, ch);
        long fixed = patch + perLayer + head;
        long unsharedFixed = patch + depth * (depthwise + 2 * bn) + head;
        long grid = c.gridSize(imageSize);
        long tokens = grid * grid;
        return new ConvMixerCost(fixed + sh.copies("pointwise") * pointwise, unsharedFixed + depth * pointwise,
                ch * c.inChannels() * p * p * tokens,
                depth * ch * k * k * tokens,
                depth * ch * ch * tokens,
                ch * c.numClasses());
    }

    public long totalMacs() {
        return patchEmbedMacs + depthwiseMacs + pointwiseMacs + headMacs;
    }
}
