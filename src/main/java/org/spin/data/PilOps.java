package org.spin.data;

/**
 * The Pillow 9 operations RandAugment is made of, on 8-bit C×H×W images, with Pillow's arithmetic
 * ({@code ImageOps}, {@code ImageEnhance}, {@code Image.transform}): what the reference's pipeline
 * does to a training image, reproduced so our model sees those pixels.
 */
final class PilOps {

    private PilOps() {}

    /** A look-up table per channel. */
    private static Pixels lut(Pixels x, int[][] lut) {
        byte[] in = x.data();
        byte[] out = new byte[in.length];
        int plane = x.height() * x.width();
        for (int c = 0; c < x.channels(); c++) {
            int[] t = lut[c];
            for (int i = c * plane; i < (c + 1) * plane; i++) {
                out[i] = (byte) t[in[i] & 0xff];
            }
        }
        return new Pixels(out, x.channels(), x.height(), x.width());
    }

    private static Pixels lut(Pixels x, int[] lut) {
        int[][] all = new int[x.channels()][];
        java.util.Arrays.fill(all, lut);
        return lut(x, all);
    }

    private static int[] histogram(Pixels x, int c) {
        int[] h = new int[256];
        byte[] d = x.data();
        int plane = x.height() * x.width();
        for (int i = c * plane; i < (c + 1) * plane; i++) {
            h[d[i] & 0xff]++;
        }
        return h;
    }

    static Pixels invert(Pixels x) {
        int[] t = new int[256];
        for (int i = 0; i < 256; i++) {
            t[i] = 255 - i;
        }
        return lut(x, t);
    }

    /** Keeps the {@code bits} high bits of every level (0 bits: black). */
    static Pixels posterize(Pixels x, int bits) {
        if (bits >= 8) {
            return x;
        }
        int mask = ~((1 << (8 - bits)) - 1) & 0xff;
        int[] t = new int[256];
        for (int i = 0; i < 256; i++) {
            t[i] = i & mask;
        }
        return lut(x, t);
    }

    /** Levels at or above {@code threshold} inverted. */
    static Pixels solarize(Pixels x, int threshold) {
        int[] t = new int[256];
        for (int i = 0; i < 256; i++) {
            t[i] = i < threshold ? i : 255 - i;
        }
        return lut(x, t);
    }

    /** timm's {@code solarize_add}: {@code add} added below {@code threshold}, capped at 255. */
    static Pixels solarizeAdd(Pixels x, int add, int threshold) {
        int[] t = new int[256];
        for (int i = 0; i < 256; i++) {
            t[i] = i < threshold ? Math.min(255, i + add) : i;
        }
        return lut(x, t);
    }

    /** {@code ImageOps.autocontrast} (no cut-off): each channel's range stretched to 0..255. */
    static Pixels autocontrast(Pixels x) {
        int[][] luts = new int[x.channels()][256];
        for (int c = 0; c < x.channels(); c++) {
            int[] h = histogram(x, c);
            int lo = 0;
            while (lo < 255 && h[lo] == 0) {
                lo++;
            }
            int hi = 255;
            while (hi > 0 && h[hi] == 0) {
                hi--;
            }
            for (int i = 0; i < 256; i++) {
                if (hi <= lo) {
                    luts[c][i] = i;
                } else {
                    double scale = 255.0 / (hi - lo);
                    double offset = -lo * scale;
                    luts[c][i] = Math.max(0, Math.min(255, (int) (i * scale + offset)));
                }
            }
        }
        return lut(x, luts);
    }

    /** {@code ImageOps.equalize}: each channel's histogram flattened, Pillow's step and rounding. */
    static Pixels equalize(Pixels x) {
        int[][] luts = new int[x.channels()][256];
        for (int c = 0; c < x.channels(); c++) {
            int[] h = histogram(x, c);
            long sum = 0;
            int last = 0;
            int nonzero = 0;
            for (int v : h) {
                if (v != 0) {
                    sum += v;
                    last = v;
                    nonzero++;
                }
            }
            long step = nonzero <= 1 ? 0 : (sum - last) / 255;
            if (step == 0) {
                for (int i = 0; i < 256; i++) {
                    luts[c][i] = i;
                }
            } else {
                long n = step / 2;
                for (int i = 0; i < 256; i++) {
                    luts[c][i] = (int) Math.min(255, n / step);
                    n += h[i];
                }
            }
        }
        return lut(x, luts);
    }

    /** Pillow's {@code L} of an RGB image (ITU-R 601-2 luma in 16-bit fixed point); a gray image's own levels. */
    private static int[] luma(Pixels x) {
        int plane = x.height() * x.width();
        int[] l = new int[plane];
        byte[] d = x.data();
        for (int i = 0; i < plane; i++) {
            l[i] = x.channels() == 1 ? d[i] & 0xff
                    : ((d[i] & 0xff) * 19595 + (d[plane + i] & 0xff) * 38470 + (d[2 * plane + i] & 0xff) * 7471 + 0x8000) >> 16;
        }
        return l;
    }

    /** {@code Image.blend(degenerate, image, factor)}: Pillow's float arithmetic, truncated, clipped when extrapolating. */
    private static Pixels blend(byte[] degenerate, Pixels x, double factor) {
        float alpha = (float) factor;
        byte[] in = x.data();
        byte[] out = new byte[in.length];
        boolean interpolates = alpha >= 0 && alpha <= 1.0;
        for (int i = 0; i < in.length; i++) {
            int a = degenerate[i] & 0xff;
            float v = a + alpha * ((in[i] & 0xff) - a);
            out[i] = (byte) (interpolates ? (int) v : v <= 0 ? 0 : v >= 255 ? 255 : (int) v);
        }
        return new Pixels(out, x.channels(), x.height(), x.width());
    }

    /** {@code ImageEnhance.Color}: blended with its gray version. */
    static Pixels color(Pixels x, double factor) {
        int[] l = luma(x);
        byte[] gray = new byte[x.data().length];
        for (int c = 0; c < x.channels(); c++) {
            for (int i = 0; i < l.length; i++) {
                gray[c * l.length + i] = (byte) l[i];
            }
        }
        return blend(gray, x, factor);
    }

    /** {@code ImageEnhance.Contrast}: blended with the flat gray of its mean luma. */
    static Pixels contrast(Pixels x, double factor) {
        int[] l = luma(x);
        double sum = 0;
        for (int v : l) {
            sum += v;
        }
        byte mean = (byte) (int) (sum / l.length + 0.5);
        byte[] flat = new byte[x.data().length];
        java.util.Arrays.fill(flat, mean);
        return blend(flat, x, factor);
    }

    /** {@code ImageEnhance.Brightness}: blended with black. */
    static Pixels brightness(Pixels x, double factor) {
        return blend(new byte[x.data().length], x, factor);
    }

    /** {@code ImageEnhance.Sharpness}: blended with Pillow's SMOOTH filter of it (borders kept). */
    static Pixels sharpness(Pixels x, double factor) {
        int h = x.height();
        int w = x.width();
        byte[] in = x.data();
        byte[] smooth = in.clone();
        float k = 1f / 13f;
        float centre = 5f / 13f;
        for (int c = 0; c < x.channels(); c++) {
            int p = c * h * w;
            for (int y = 1; y < h - 1; y++) {
                for (int i = 1; i < w - 1; i++) {
                    float ss = 0;
                    for (int dy = 1; dy >= -1; dy--) { // Pillow sums the row below first
                        int row = p + (y + dy) * w + i;
                        ss += (in[row - 1] & 0xff) * k + (in[row] & 0xff) * (dy == 0 ? centre : k) + (in[row + 1] & 0xff) * k;
                    }
                    smooth[p + y * w + i] = (byte) (ss <= 0 ? 0 : ss >= 255 ? 255 : (int) (ss + 0.5f));
                }
            }
        }
        return blend(smooth, x, factor);
    }

    /** {@code Image.rotate(degrees, resample, fillcolor=fill)} about the centre, same size. */
    static Pixels rotate(Pixels x, double degrees, int[] fill, Resample.Filter filter) {
        double angle = -Math.toRadians(degrees);
        double cos = round15(Math.cos(angle));
        double sin = round15(Math.sin(angle));
        double cx = x.width() / 2.0;
        double cy = x.height() / 2.0;
        double[] m = {cos, sin, 0, -sin, cos, 0};
        m[2] = m[0] * -cx + m[1] * -cy + m[2] + cx;
        m[5] = m[3] * -cx + m[4] * -cy + m[5] + cy;
        return affine(x, m, fill, filter);
    }

    private static double round15(double v) {
        return new java.math.BigDecimal(v).setScale(15, java.math.RoundingMode.HALF_EVEN).doubleValue();
    }

    /**
     * {@code Image.transform(size, AFFINE, m, resample, fillcolor=fill)}: output pixel (x, y) samples
     * the input at (m0·(x+½) + m1·(y+½) + m2, m3·(x+½) + m4·(y+½) + m5) with Pillow's bicubic or
     * bilinear filter; a point outside the image keeps the fill colour.
     */
    static Pixels affine(Pixels x, double[] m, int[] fill, Resample.Filter filter) {
        int h = x.height();
        int w = x.width();
        int channels = x.channels();
        byte[] in = x.data();
        byte[] out = new byte[in.length];
        for (int c = 0; c < channels; c++) {
            java.util.Arrays.fill(out, c * h * w, (c + 1) * h * w, (byte) fill[c]);
        }
        for (int y = 0; y < h; y++) {
            for (int i = 0; i < w; i++) {
                double xin = m[0] * (i + 0.5) + m[1] * (y + 0.5) + m[2];
                double yin = m[3] * (i + 0.5) + m[4] * (y + 0.5) + m[5];
                if (xin < 0.0 || xin >= w || yin < 0.0 || yin >= h) {
                    continue;
                }
                xin -= 0.5;
                yin -= 0.5;
                int fx = floor(xin);
                int fy = floor(yin);
                double dx = xin - fx;
                double dy = yin - fy;
                for (int c = 0; c < channels; c++) {
                    int p = c * h * w;
                    double v = filter == Resample.Filter.BICUBIC ? bicubic(in, p, w, h, fx - 1, fy - 1, dx, dy)
                            : bilinear(in, p, w, h, fx, fy, dx, dy);
                    out[p + y * w + i] = (byte) (v <= 0.0 ? 0 : v >= 255.0 ? 255 : (int) v);
                }
            }
        }
        return new Pixels(out, channels, h, w);
    }

    private static int floor(double v) {
        return v < 0.0 ? (int) Math.floor(v) : (int) v;
    }

    private static int clip(int v, int size) {
        return v < 0 ? 0 : v < size ? v : size - 1;
    }

    private static double cubic(double v1, double v2, double v3, double v4, double d) {
        double p1 = v2;
        double p2 = -v1 + v3;
        double p3 = 2 * (v1 - v2) + v3 - v4;
        double p4 = -v1 + v2 - v3 + v4;
        return p1 + d * (p2 + d * (p3 + d * p4));
    }

    private static double cubicRow(byte[] in, int row, int w, int x, double dx) {
        return cubic(in[row + clip(x, w)] & 0xff, in[row + clip(x + 1, w)] & 0xff, in[row + clip(x + 2, w)] & 0xff,
                in[row + clip(x + 3, w)] & 0xff, dx);
    }

    /** Pillow's {@code bicubic_filter8} from the 4×4 neighbourhood whose top-left is (x, y). */
    private static double bicubic(byte[] in, int p, int w, int h, int x, int y, double dx, double dy) {
        double v1 = cubicRow(in, p + clip(y, h) * w, w, x, dx);
        double v2 = y + 1 >= 0 && y + 1 < h ? cubicRow(in, p + (y + 1) * w, w, x, dx) : v1;
        double v3 = y + 2 >= 0 && y + 2 < h ? cubicRow(in, p + (y + 2) * w, w, x, dx) : v2;
        double v4 = y + 3 >= 0 && y + 3 < h ? cubicRow(in, p + (y + 3) * w, w, x, dx) : v3;
        return cubic(v1, v2, v3, v4, dy);
    }

    /** Pillow's {@code bilinear_filter8} from the 2×2 neighbourhood whose top-left is (x, y). */
    private static double bilinear(byte[] in, int p, int w, int h, int x, int y, double dx, double dy) {
        int row = p + clip(y, h) * w;
        double a = in[row + clip(x, w)] & 0xff;
        double v1 = a + ((in[row + clip(x + 1, w)] & 0xff) - a) * dx;
        double v2 = v1;
        if (y + 1 >= 0 && y + 1 < h) {
            int r2 = p + (y + 1) * w;
            double b = in[r2 + clip(x, w)] & 0xff;
            v2 = b + ((in[r2 + clip(x + 1, w)] & 0xff) - b) * dx;
        }
        return v1 + (v2 - v1) * dy;
    }
}
