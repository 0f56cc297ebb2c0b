package org.spin.predict;

/**
 * The resize {@code spin predict} has always applied to images of a data set without an
 * evaluation transform (Fashion-MNIST, CIFAR-10), written in Java so that preparing an image needs
 * no engine: ONNX Runtime's path loads no libtorch. It is PyTorch's {@code interpolate} on 8-bit
 * values held as floats, rounded half to even and clipped, as the engine computed it before:
 * <ul>
 *   <li>area ({@code mode='area'}, adaptive average pooling) when either side shrinks: output
 *       pixel i averages input rows ⌊i·in/out⌋ to ⌈(i+1)·in/out⌉ − 1, and so for columns;
 *   <li>bilinear ({@code align_corners=False}) when enlarging: source coordinate
 *       (i + ½)·in/out − ½, clamped at 0, between the two nearest pixels.
 * </ul>
 * Sums of 8-bit values and the weights' products stay exact in float, so the results match the
 * engine's bit for bit ({@code StretchTest} compares them).
 */
final class Stretch {

    private Stretch() {}

    /** {@code chw} (C, h, w) stretched to (C, size, size). */
    static byte[] resize(byte[] chw, int channels, int h, int w, int size) {
        boolean shrinking = w > size || h > size;
        byte[] out = new byte[channels * size * size];
        for (int c = 0; c < channels; c++) {
            int in = c * h * w;
            int o = c * size * size;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    float v = shrinking ? area(chw, in, h, w, size, y, x) : bilinear(chw, in, h, w, size, y, x);
                    out[o + y * size + x] = (byte) Math.max(0, Math.min(255, (int) Math.rint(v)));
                }
            }
        }
        return out;
    }

    private static float area(byte[] p, int base, int h, int w, int size, int y, int x) {
        int y0 = (int) Math.floorDiv((long) y * h, size);
        int y1 = (int) -Math.floorDiv(-(long) (y + 1) * h, size);
        int x0 = (int) Math.floorDiv((long) x * w, size);
        int x1 = (int) -Math.floorDiv(-(long) (x + 1) * w, size);
        float sum = 0;
        for (int i = y0; i < y1; i++) {
            for (int j = x0; j < x1; j++) {
                sum += p[base + i * w + j] & 0xff;
            }
        }
        return sum / ((y1 - y0) * (x1 - x0));
    }

    private static float bilinear(byte[] p, int base, int h, int w, int size, int y, int x) {
        float sy = source((float) h / size, y);
        float sx = source((float) w / size, x);
        int y0 = (int) sy;
        int x0 = (int) sx;
        int y1 = y0 + (y0 < h - 1 ? 1 : 0);
        int x1 = x0 + (x0 < w - 1 ? 1 : 0);
        float ly = sy - y0;
        float lx = sx - x0;
        float top = (1 - lx) * (p[base + y0 * w + x0] & 0xff) + lx * (p[base + y0 * w + x1] & 0xff);
        float bottom = (1 - lx) * (p[base + y1 * w + x0] & 0xff) + lx * (p[base + y1 * w + x1] & 0xff);
        return (1 - ly) * top + ly * bottom;
    }

    private static float source(float scale, int dst) {
        float s = scale * (dst + 0.5f) - 0.5f;
        return s < 0 ? 0 : s;
    }
}
