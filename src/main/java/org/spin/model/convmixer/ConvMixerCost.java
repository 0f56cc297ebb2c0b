package org.spin.model.convmixer;

/**
 * Closed-form size and compute of a ConvMixer, from its config alone (the tests check these
 * against the built model and the reference's counts).
 *
 * <p>Parameters are trainable ones (BatchNorm running statistics excluded), counting each shared
 * slot once. MACs are multiply-accumulates per image for the conv and linear layers; FLOPs are
 * 2 × MACs. (The reference's tooling prints MACs and calls them "FLOPs".)
 */
public record ConvMixerCost(long uniqueParams, long unsharedParams, long patchEmbedMacs, long depthwiseMacs,
                            long pointwiseMacs, long headMacs) {

    public static ConvMixerCost of(ConvMixerConfig c, int imageSize) {
        long ch = c.channels();
        long depth = c.depth();
        long slots = c.plan().numSlots();
        long k = c.kernel();
        long p = c.patchKernel();
        long bn = 2 * ch;
        long patch = ch * c.inChannels() * p * p + ch + bn;
        long perLayer = ch * k * k + ch + 2 * bn; // depthwise conv + its bias + two BatchNorms
        long pointwise = ch * ch + ch;
        long head = ch * c.numClasses() + c.numClasses();
        long fixed = patch + depth * perLayer + head;
        long grid = c.gridSize(imageSize);
        long tokens = grid * grid;
        return new ConvMixerCost(fixed + slots * pointwise, fixed + depth * pointwise,
                ch * c.inChannels() * p * p * tokens,
                depth * ch * k * k * tokens,
                depth * ch * ch * tokens,
                ch * c.numClasses());
    }

    public long totalMacs() {
        return patchEmbedMacs + depthwiseMacs + pointwiseMacs + headMacs;
    }
}
