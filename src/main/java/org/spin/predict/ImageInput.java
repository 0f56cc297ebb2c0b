package org.spin.predict;

import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.util.List;
import org.spin.SpinException;
import org.spin.config.SpinConfig;
import org.spin.data.DataConfig;
import org.spin.data.DataSources;
import org.spin.data.ImageTransform;
import org.spin.data.Normalization;
import org.spin.data.Pixels;

/**
 * Turns any image into what the model saw in training: its input channels (gray, or RGB with a
 * gray image replicated), its input side, and the training normalisation
 * {@code (pixel/255 - mean[c]) / std[c]}, with no inversion (Fashion-MNIST is a light garment on
 * a black background, and training feeds it as stored).
 *
 * <p>The image is resized to 8-bit pixels first, as an image editor would, so normalising is the
 * very table lookup training uses ({@link Normalization}). Shrinking averages the pixels each
 * output pixel covers (area interpolation: a 56 px image becomes the mean of its 2×2 blocks),
 * which does not alias the way bilinear sampling does at large factors; enlarging is bilinear.
 * A non-square image is stretched to the square input, as DJL's {@code Resize} does, unless the
 * model was trained on an image folder: then the image goes through that data set's evaluation
 * transform ({@link DataSources#evalTransform}: Pillow's resampling of the shorter side to
 * {@code int(256/224 · crop)}, then the centre crop), exactly as evaluation fed it.
 */
public final class ImageInput {

    private final int channels;
    private final int size;
    /** The data set's evaluation transform; null for data sets whose images were the model's size. */
    private final ImageTransform eval;
    private final Normalization normalization;

    /**
     * @param channels 1 (gray) or 3 (RGB)
     * @param size side of the square input in pixels
     * @param mean one value, or one per channel, in [0,1] units
     * @param std as mean; positive
     */
    public ImageInput(int channels, int size, List<? extends Number> mean, List<? extends Number> std) {
        this(channels, size, mean, std, null);
    }

    /** @param eval the transform evaluation applied to the data set's images (its side is the input's), or null */
    public ImageInput(int channels, int size, List<? extends Number> mean, List<? extends Number> std,
                      ImageTransform eval) {
        if (channels != 1 && channels != 3) {
            throw new SpinException("DATA.INPUT_CHANNEL_NUM " + channels
                    + " cannot be fed from an image; expected 1 (gray) or 3 (RGB)");
        }
        if (size < 1) {
            throw new SpinException("input size " + size + " must be at least 1 pixel");
        }
        this.channels = channels;
        this.size = eval == null ? size : eval.side();
        this.eval = eval;
        this.normalization = new Normalization(channels, channels, mean, std);
    }

    /**
     * The input a model trained with {@code cfg} expects: the side its data set was fed at
     * ({@link DataSources#imageSize}: 28 for Fashion-MNIST, 32 for CIFAR-10) or, for an image
     * folder, its evaluation transform ({@code DATA.TEST_CROP_SIZE}).
     */
    public static ImageInput of(SpinConfig cfg) {
        DataConfig data = DataConfig.from(cfg);
        return new ImageInput(data.inputChannels(), data.imageSize(), data.mean(), data.std(),
                DataSources.evalTransform(data));
    }

    public int channels() {
        return channels;
    }

    public int size() {
        return size;
    }

    /** The normalised input (channels, size, size) in {@code manager}. */
    public NDArray toTensor(Image image, NDManager manager) {
        return manager.create(toFloats(image), new Shape(channels, size, size));
    }

    /**
     * The normalised input (channels, size, size), row-major, computed in Java alone: the same
     * values {@link #toTensor} gives, without an engine (ONNX Runtime's path).
     */
    public float[] toFloats(Image image) {
        return normalization.normalize(pixels(image));
    }

    /** The image as 8-bit pixels at the model's size and channels, laid out C×H×W. */
    private byte[] pixels(Image image) {
        Pixels chw = eightBit(GraySamples.asEightBit(image));
        if (eval != null) {
            return eval.apply(chw, null).data(); // evaluation draws nothing
        }
        if (chw.width() != size || chw.height() != size) {
            return Stretch.resize(chw.data(), channels, chw.height(), chw.width(), size);
        }
        return chw.data();
    }

    /**
     * C×H×W bytes as DJL's {@code Image.toNDArray} reads them: 8-bit gray samples as they are (and
     * replicated for RGB), else {@code getRGB}'s sRGB, gray as round(0.299 R + 0.587 G + 0.114 B)
     * in float (BT.601). Alpha is dropped.
     */
    private Pixels eightBit(Image image) {
        if (!(image.getWrappedImage() instanceof BufferedImage b)) {
            throw new SpinException("an image of type " + image.getWrappedImage().getClass().getName()
                    + " cannot be prepared; expected one read by DJL's BufferedImageFactory (java.awt)");
        }
        int w = b.getWidth();
        int h = b.getHeight();
        int plane = w * h;
        byte[] out = new byte[channels * plane];
        if (b.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            int[] gray = b.getData().getPixels(0, 0, w, h, (int[]) null);
            for (int c = 0; c < channels; c++) {
                for (int i = 0; i < plane; i++) {
                    out[c * plane + i] = (byte) gray[i];
                }
            }
        } else {
            int[] rgb = b.getRGB(0, 0, w, h, null, 0, w);
            for (int i = 0; i < plane; i++) {
                int r = (rgb[i] >> 16) & 0xff;
                int g = (rgb[i] >> 8) & 0xff;
                int bl = rgb[i] & 0xff;
                if (channels == 1) {
                    out[i] = (byte) Math.round(0.299f * r + 0.587f * g + 0.114f * bl);
                } else {
                    out[i] = (byte) r;
                    out[plane + i] = (byte) g;
                    out[2 * plane + i] = (byte) bl;
                }
            }
        }
        return new Pixels(out, channels, h, w);
    }
}
