package org.spin.data;

/**
 * Pillow's {@code Image.resize} for 8-bit images, which torchvision's transforms call on PIL
 * images: separable, horizontal pass first into an 8-bit intermediate, then vertical. Each output
 * pixel is a weighted sum over the input pixels under the filter, the filter stretched by the
 * downscaling factor (so shrinking averages, as an antialiasing filter), weights normalised and
 * turned into 22-bit fixed point, the sum rounded and clipped to 0..255 as Pillow's
 * {@code Resample.c} does. Written to give Pillow's levels exactly, so a model sees the pixels the
 * reference's pipeline would give it.
 */
public final class Resample {

    /** The interpolations of {@code AUG.INTERPOLATION}, with Pillow's kernels and supports. */
    public enum Filter {
        BILINEAR(1.0) {
            @Override
            double weight(double x) {
                x = Math.abs(x);
                return x < 1.0 ? 1.0 - x : 0.0;
            }
        },
        /** Keys' cubic with a = −0.5, as Pillow's. */
        BICUBIC(2.0) {
            @Override
            double weight(double x) {
                final double a = -0.5;
                x = Math.abs(x);
                if (x < 1.0) {
                    return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
                }
                if (x < 2.0) {
                    return (((x - 5) * x + 8) * x - 4) * a;
                }
                return 0.0;
            }
        };

        final double support;

        Filter(double support) {
            this.support = support;
        }

        abstract double weight(double x);

        /** {@code bicubic} or {@code bilinear} ({@code AUG.INTERPOLATION}); {@code random} is not one filter. */
        public static Filter parse(String name) {
            return switch (name == null ? "" : name.strip().toLowerCase(java.util.Locale.ROOT)) {
                case "bicubic" -> BICUBIC;
                case "bilinear" -> BILINEAR;
                default -> throw new org.spin.SpinException("AUG.INTERPOLATION " + name
                        + " is not an interpolation we resample with; expected bicubic or bilinear");
            };
        }
    }

    private static final int PRECISION_BITS = 32 - 8 - 2;

    private Resample() {}

    /** A C×H×W uint8 image resized to C×outHeight×outWidth; the image itself when the size already fits. */
    public static byte[] resize(byte[] chw, int channels, int height, int width, int outHeight, int outWidth,
                                Filter filter) {
        if (channels < 1 || height < 1 || width < 1 || chw.length != channels * height * width) {
            throw new IllegalArgumentException("image has " + chw.length + " bytes, expected C*H*W = " + channels + "*"
                    + height + "*" + width);
        }
        if (outHeight < 1 || outWidth < 1) {
            throw new IllegalArgumentException("bad target size " + outHeight + "x" + outWidth);
        }
        if (height == outHeight && width == outWidth) {
            return chw;
        }
        Coefficients horizontal = width == outWidth ? null : new Coefficients(width, outWidth, filter);
        Coefficients vertical = height == outHeight ? null : new Coefficients(height, outHeight, filter);
        // only the rows the vertical pass reads go through the horizontal one, as in Pillow
        int firstRow = vertical == null ? 0 : vertical.start[0];
        int lastRow = vertical == null ? height : vertical.start[outHeight - 1] + vertical.count[outHeight - 1];
        int rows = lastRow - firstRow;
        byte[] out = new byte[channels * outHeight * outWidth];
        byte[] temp = horizontal == null ? null : new byte[rows * outWidth];
        // the horizontal pass runs on the transposed image, so that it too reads along rows
        byte[] columns = horizontal == null ? null : new byte[width * rows];
        byte[] resizedColumns = horizontal == null ? null : new byte[outWidth * rows];
        int[] acc = new int[Math.max(outWidth, rows)];
        for (int c = 0; c < channels; c++) {
            int plane = c * height * width;
            byte[] src = chw;
            int srcOffset = plane;
            int srcWidth = width;
            int rowShift = 0;
            if (horizontal != null) {
                transpose(chw, plane + firstRow * width, rows, width, columns);
                horizontal.applyToRows(columns, 0, rows, resizedColumns, 0, acc);
                transpose(resizedColumns, 0, outWidth, rows, temp);
                src = temp;
                srcOffset = 0;
                srcWidth = outWidth;
                rowShift = firstRow;
            }
            int dst = c * outHeight * outWidth;
            if (vertical == null) {
                System.arraycopy(src, srcOffset, out, dst, outHeight * outWidth);
                continue;
            }
            vertical.applyToRows(src, srcOffset - rowShift * srcWidth, srcWidth, out, dst, acc);
        }
        return out;
    }

    /** {@code dst} (cols × rows) = the transpose of the rows × cols bytes at {@code src[from..]}. */
    private static void transpose(byte[] src, int from, int rows, int cols, byte[] dst) {
        final int tile = 32; // blocks that stay in cache on both sides
        for (int y0 = 0; y0 < rows; y0 += tile) {
            int y1 = Math.min(rows, y0 + tile);
            for (int x0 = 0; x0 < cols; x0 += tile) {
                int x1 = Math.min(cols, x0 + tile);
                for (int y = y0; y < y1; y++) {
                    int row = from + y * cols;
                    for (int x = x0; x < x1; x++) {
                        dst[x * rows + y] = src[row + x];
                    }
                }
            }
        }
    }

    /** One axis's weights: output pixel i reads {@code count[i]} inputs from {@code start[i]}. */
    private static final class Coefficients {
        final int[] start;
        final int[] count;
        final int[] weights; // fixed point, ksize per output pixel
        final int ksize;

        Coefficients(int inSize, int outSize, Filter filter) {
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = filter.support * filterScale;
            ksize = (int) Math.ceil(support) * 2 + 1;
            start = new int[outSize];
            count = new int[outSize];
            weights = new int[outSize * ksize];
            double[] k = new double[ksize];
            for (int i = 0; i < outSize; i++) {
                double center = (i + 0.5) * scale;
                int min = Math.max(0, (int) (center - support + 0.5)); // C's truncation, as Pillow
                int max = Math.min(inSize, (int) (center + support + 0.5)) - min;
                double sum = 0;
                for (int x = 0; x < max; x++) {
                    k[x] = filter.weight((x + min - center + 0.5) / filterScale);
                    sum += k[x];
                }
                for (int x = 0; x < max; x++) {
                    double w = sum != 0.0 ? k[x] / sum : k[x];
                    weights[i * ksize + x] = (int) (w < 0 ? -0.5 + w * (1 << PRECISION_BITS)
                            : 0.5 + w * (1 << PRECISION_BITS));
                }
                start[i] = min;
                count[i] = max;
            }
        }

        /**
         * One pass a row at a time, so memory is read along rows (the horizontal pass runs on the
         * transposed image): output row i is the
         * weighted sum of input rows {@code start[i] + t} ({@code width} pixels each, row r at
         * {@code src[from + r * width]}), rounded and clipped into {@code dst[to + i * width]}.
         */
        void applyToRows(byte[] src, int from, int width, byte[] dst, int to, int[] acc) {
            for (int i = 0; i < start.length; i++) {
                java.util.Arrays.fill(acc, 0, width, 1 << (PRECISION_BITS - 1));
                for (int t = 0; t < count[i]; t++) {
                    int row = from + (start[i] + t) * width;
                    int w = weights[i * ksize + t];
                    for (int x = 0; x < width; x++) {
                        acc[x] += (src[row + x] & 0xff) * w;
                    }
                }
                int out = to + i * width;
                for (int x = 0; x < width; x++) {
                    int v = acc[x] >> PRECISION_BITS;
                    dst[out + x] = (byte) (v < 0 ? 0 : Math.min(v, 255));
                }
            }
        }
    }
}
