package org.spin.data;

import java.util.List;
import org.spin.SpinException;

/**
 * Turns a uint8 sample into the float input of the network: {@code (pixel/255 - mean[c]) / std[c]}
 * per output channel, replicating a gray channel to three when the model expects colour.
 *
 * <p>Replication exists so a model configured for 3 input channels (as in the paper) trains on
 * gray Fashion-MNIST unchanged. The arithmetic is precomputed into a 256-entry table per output
 * channel, so normalising is a table lookup per pixel and never the loader's bottleneck.
 */
public final class Normalization {

    private final int sourceChannels;
    private final int outputChannels;
    private final float[][] table;

    /**
     * <p>Error messages name the config keys (DATA.MEAN, DATA.STD, DATA.INPUT_CHANNEL_NUM) these
     * values come from, since that is where a user has to fix them.
     *
     * @param mean one value for all output channels, or one per output channel (in [0,1] units)
     * @param std same lengths as mean allows; every value must be positive
     */
    public Normalization(int sourceChannels, int outputChannels, List<? extends Number> mean,
                         List<? extends Number> std) {
        if (sourceChannels < 1 || outputChannels < 1) {
            throw new SpinException("channel counts must be >= 1, got source " + sourceChannels
                    + " and output " + outputChannels);
        }
        if (sourceChannels != outputChannels && !(sourceChannels == 1 && outputChannels == 3)) {
            throw new SpinException("DATA.INPUT_CHANNEL_NUM " + outputChannels + " does not fit the "
                    + sourceChannels + "-channel images: cannot feed them to a model with " + outputChannels
                    + " input channels; expected " + sourceChannels
                    + (sourceChannels == 1 ? " or 3 (gray replicated)" : "") + " input channels");
        }
        double[] m = perChannel("DATA.MEAN", mean, outputChannels);
        double[] s = perChannel("DATA.STD", std, outputChannels);
        this.sourceChannels = sourceChannels;
        this.outputChannels = outputChannels;
        this.table = new float[outputChannels][256];
        for (int c = 0; c < outputChannels; c++) {
            if (!(s[c] > 0) || Double.isInfinite(s[c])) {
                throw new SpinException("DATA.STD " + std + " has " + s[c] + " for channel " + c
                        + "; expected a positive finite number");
            }
            if (!Double.isFinite(m[c])) {
                throw new SpinException("DATA.MEAN " + mean + " has " + m[c] + " for channel " + c
                        + "; expected a finite number");
            }
            for (int v = 0; v < 256; v++) {
                table[c][v] = (float) ((v / 255.0 - m[c]) / s[c]);
            }
        }
    }

    public int sourceChannels() {
        return sourceChannels;
    }

    public int outputChannels() {
        return outputChannels;
    }

    /**
     * Writes the normalised sample (outputChannels × H×W floats) into {@code dst} at
     * {@code offset}; H×W is inferred from the sample length.
     */
    public void normalize(byte[] sample, float[] dst, int offset) {
        if (sample.length % sourceChannels != 0) {
            throw new IllegalArgumentException("sample of " + sample.length + " bytes is not "
                    + sourceChannels + " equal channels");
        }
        int plane = sample.length / sourceChannels;
        for (int c = 0; c < outputChannels; c++) {
            float[] t = table[c];
            int src = sourceChannels == 1 ? 0 : c * plane;
            int out = offset + c * plane;
            for (int i = 0; i < plane; i++) {
                dst[out + i] = t[sample[src + i] & 0xff];
            }
        }
    }

    /** {@link #normalize(byte[], float[], int)} into a new array. */
    public float[] normalize(byte[] sample) {
        float[] out = new float[sample.length / sourceChannels * outputChannels];
        normalize(sample, out, 0);
        return out;
    }

    private static double[] perChannel(String what, List<? extends Number> values, int channels) {
        if (values == null || (values.size() != 1 && values.size() != channels)) {
            throw new SpinException(what + " " + values + " has "
                    + (values == null ? "no" : String.valueOf(values.size())) + " values; expected 1 or "
                    + channels + " (one per input channel of the model, DATA.INPUT_CHANNEL_NUM)");
        }
        double[] out = new double[channels];
        for (int c = 0; c < channels; c++) {
            Number v = values.get(values.size() == 1 ? 0 : c);
            if (v == null) {
                throw new SpinException(what + " " + values + " contains null; expected numbers");
            }
            out[c] = v.doubleValue();
        }
        return out;
    }
}
