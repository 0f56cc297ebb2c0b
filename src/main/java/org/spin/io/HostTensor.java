package org.spin.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * A tensor held in plain Java memory as raw little-endian bytes, the common currency between
 * file formats (safetensors, PyTorch checkpoints) and whatever engine later consumes it. Keeping
 * the raw bytes, instead of decoding eagerly to floats, lets integer buffers such as
 * {@code num_batches_tracked} and half-precision weights round-trip bit for bit.
 *
 * <p>The shape is copied on the way in and out because it is small; the data array is not,
 * because checkpoints can reach hundreds of megabytes. Treat {@link #data()} as read-only.
 *
 * @param dtype element type
 * @param shape dimensions; {@code []} is a scalar with one element
 * @param data  {@code numel * dtype.byteSize()} bytes, little-endian, C order
 */
public record HostTensor(DType dtype, long[] shape, byte[] data) {

    public HostTensor {
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(data, "data");
        shape = shape.clone();
        long expected = Math.multiplyExact(numel(shape), (long) dtype.byteSize());
        if (expected != data.length) {
            throw new IllegalArgumentException("dtype " + dtype + " shape " + Arrays.toString(shape)
                    + " needs " + expected + " bytes but " + data.length + " were given");
        }
    }

    /** Element count of a shape; rejects negative dimensions and overflow rather than wrapping. */
    public static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Number of elements; 1 for a scalar. */
    public long numel() {
        return numel(shape);
    }

    /** Wraps floats without an extra conversion step, the usual way to build test and output tensors. */
    public static HostTensor ofFloats(long[] shape, float[] values) {
        ByteBuffer buf = littleEndian(Math.multiplyExact(values.length, 4));
        buf.asFloatBuffer().put(values);
        return new HostTensor(DType.F32, shape, buf.array());
    }

    /** Wraps 64-bit integers, the dtype PyTorch uses for counters and indices. */
    public static HostTensor ofLongs(long[] shape, long[] values) {
        ByteBuffer buf = littleEndian(Math.multiplyExact(values.length, 8));
        buf.asLongBuffer().put(values);
        return new HostTensor(DType.I64, shape, buf.array());
    }

    /**
     * Decodes every element to float, whatever the stored dtype, because most consumers only
     * want values; integers wider than 24 bits lose precision, as they would in PyTorch.
     */
    public float[] toFloats() {
        int n = Math.toIntExact(numel());
        float[] out = new float[n];
        ByteBuffer buf = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        switch (dtype) {
            case F64 -> { for (int i = 0; i < n; i++) out[i] = (float) buf.getDouble(i * 8); }
            case F32 -> buf.asFloatBuffer().get(out);
            case F16 -> { for (int i = 0; i < n; i++) out[i] = halfToFloat(buf.getShort(i * 2)); }
            case BF16 -> { for (int i = 0; i < n; i++) out[i] = Float.intBitsToFloat(buf.getShort(i * 2) << 16); }
            case I64 -> { for (int i = 0; i < n; i++) out[i] = buf.getLong(i * 8); }
            case I32 -> { for (int i = 0; i < n; i++) out[i] = buf.getInt(i * 4); }
            case I16 -> { for (int i = 0; i < n; i++) out[i] = buf.getShort(i * 2); }
            case I8 -> { for (int i = 0; i < n; i++) out[i] = data[i]; }
            case U8, BOOL -> { for (int i = 0; i < n; i++) out[i] = data[i] & 0xFF; }
        }
        return out;
    }

    /**
     * Decodes integer and boolean elements exactly. Floating-point tensors are refused rather
     * than truncated, since silently rounding weights is never what a caller meant.
     */
    public long[] toLongs() {
        if (dtype.isFloatingPoint()) {
            throw new IllegalStateException("toLongs() needs an integer or bool tensor, not " + dtype);
        }
        int n = Math.toIntExact(numel());
        long[] out = new long[n];
        ByteBuffer buf = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        switch (dtype) {
            case I64 -> buf.asLongBuffer().get(out);
            case I32 -> { for (int i = 0; i < n; i++) out[i] = buf.getInt(i * 4); }
            case I16 -> { for (int i = 0; i < n; i++) out[i] = buf.getShort(i * 2); }
            case I8 -> { for (int i = 0; i < n; i++) out[i] = data[i]; }
            default -> { for (int i = 0; i < n; i++) out[i] = data[i] & 0xFF; }
        }
        return out;
    }

    /** IEEE 754 binary16 to binary32; Java 17 has no Float.float16ToFloat yet. */
    static float halfToFloat(short bits) {
        int h = bits & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1F;
        int mant = h & 0x3FF;
        if (exp == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
        }
        if (exp == 0) {
            // zero or subnormal: value = mant * 2^-24, exact in float
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    private static ByteBuffer littleEndian(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HostTensor t && dtype == t.dtype && Arrays.equals(shape, t.shape)
                && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * dtype.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "HostTensor[" + dtype + " " + Arrays.toString(shape) + ", " + data.length + " bytes]";
    }
}
