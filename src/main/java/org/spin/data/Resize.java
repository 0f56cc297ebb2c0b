package org.spin.data;

/**
 * Crops and resizes uint8 C×H×W images with the arithmetic {@code predict} uses, so a model
 * trained on an image folder and the images it is later asked about are prepared alike.
 *
 * <p>{@code org.spin.predict.ImageInput} resizes through DJL's {@code NDImageUtils.resize} on the
 * PyTorch engine: in float, area interpolation (PyTorch's adaptive average pooling) when the
 * image is larger than the target in either direction, bilinear with
 * {@code align_corners=false} otherwise, then rounded half to even and clipped to 8 bits. This
 * class does the same in plain Java, so the loader's decoding threads need no engine. Results
 * can differ from the engine's only by the order of float additions, so by at most one level and
 * rarely (on the tests' images they are identical).
 */
public final class Resize {

    /** A square window of an image: its top-left corner and side. */
    public record Window(int top, int left, int side) {}

    private Resize() {}

    /**
     * The largest centred square of an H×W image. An odd margin leaves its extra pixel at the
     * bottom or right (torchvision's {@code CenterCrop} rounds the offset half to even instead, so
     * it may sit one pixel further).
     */
    public static Window centreSquare(int height, int width) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("bad image size " + height + "x" + width);
        }
        int side = Math.min(height, width);
        return new Window((height - side) / 2, (width - side) / 2, side);
    }

    /** The {@code window} of a C×H×W image, as a C×side×side image. */
    public static byte[] crop(byte[] chw, int channels, int height, int width, Window window) {
        check(chw, channels, height, width);
        int s = window.side();
        if (window.top() < 0 || window.left() < 0 || window.top() + s > height || window.left() + s > width) {
            throw new IllegalArgumentException(window + " is outside the " + height + "x" + width + " image");
        }
        byte[] out = new byte[channels * s * s];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < s; y++) {
                System.arraycopy(chw, (c * height + window.top() + y) * width + window.left(), out, (c * s + y) * s, s);
            }
        }
        return out;
    }

    /** A C×H×W image resized to C×outHeight×outWidth; the image itself when the size already fits. */
    public static byte[] resize(byte[] chw, int channels, int height, int width, int outHeight, int outWidth) {
        check(chw, channels, height, width);
        if (outHeight < 1 || outWidth < 1) {
            throw new IllegalArgumentException("bad target size " + outHeight + "x" + outWidth);
        }
        if (height == outHeight && width == outWidth) {
            return chw;
        }
        boolean shrinking = height > outHeight || width > outWidth;
        byte[] out = new byte[channels * outHeight * outWidth];
        for (int c = 0; c < channels; c++) {
            int in = c * height * width;
            int at = c * outHeight * outWidth;
            if (shrinking) {
                area(chw, in, height, width, out, at, outHeight, outWidth);
            } else {
                bilinear(chw, in, height, width, out, at, outHeight, outWidth);
            }
        }
        return out;
    }

    /** PyTorch's adaptive average pooling: output pixel i covers inputs floor(i·H/h) .. ceil((i+1)·H/h) - 1. */
    private static void area(byte[] src, int in, int h, int w, byte[] dst, int at, int oh, int ow) {
        for (int y = 0; y < oh; y++) {
            int y0 = y * h / oh;
            int y1 = ((y + 1) * h + oh - 1) / oh;
            for (int x = 0; x < ow; x++) {
                int x0 = x * w / ow;
                int x1 = ((x + 1) * w + ow - 1) / ow;
                float sum = 0;
                for (int sy = y0; sy < y1; sy++) {
                    for (int sx = x0; sx < x1; sx++) {
                        sum += src[in + sy * w + sx] & 0xff;
                    }
                }
                dst[at + y * ow + x] = level(sum / (y1 - y0) / (x1 - x0));
            }
        }
    }

    /** PyTorch's bilinear upsampling with align_corners=false: pixel centres, source clamped at 0. */
    private static void bilinear(byte[] src, int in, int h, int w, byte[] dst, int at, int oh, int ow) {
        float sy = (float) h / oh;
        float sx = (float) w / ow;
        for (int y = 0; y < oh; y++) {
            float ry = Math.max(0f, sy * (y + 0.5f) - 0.5f);
            int y0 = (int) ry;
            int y1 = y0 + (y0 < h - 1 ? 1 : 0);
            float ly1 = ry - y0;
            float ly0 = 1f - ly1;
            for (int x = 0; x < ow; x++) {
                float rx = Math.max(0f, sx * (x + 0.5f) - 0.5f);
                int x0 = (int) rx;
                int x1 = x0 + (x0 < w - 1 ? 1 : 0);
                float lx1 = rx - x0;
                float lx0 = 1f - lx1;
                float v = ly0 * (lx0 * px(src, in, w, y0, x0) + lx1 * px(src, in, w, y0, x1))
                        + ly1 * (lx0 * px(src, in, w, y1, x0) + lx1 * px(src, in, w, y1, x1));
                dst[at + y * ow + x] = level(v);
            }
        }
    }

    private static float px(byte[] src, int in, int w, int y, int x) {
        return src[in + y * w + x] & 0xff;
    }

    /** Rounded half to even, as {@code NDArray.round}, and clipped to a byte. */
    private static byte level(float v) {
        return (byte) (int) Math.min(255.0, Math.max(0.0, Math.rint(v)));
    }

    private static void check(byte[] chw, int channels, int height, int width) {
        if (channels < 1 || height < 1 || width < 1 || chw.length != channels * height * width) {
            throw new IllegalArgumentException("image has " + chw.length + " bytes, expected C*H*W = "
                    + channels + "*" + height + "*" + width);
        }
    }
}
