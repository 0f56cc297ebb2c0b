package org.spin.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class HostTensorTest {

    @Test
    void rejectsDataWhoseLengthDoesNotMatchShapeAndDtype() {
        assertThatThrownBy(() -> new HostTensor(DType.F32, new long[] {2, 3}, new byte[20]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs 24 bytes");
    }

    @Test
    void scalarShapeHasOneElement() {
        HostTensor t = HostTensor.ofLongs(new long[0], new long[] {7});
        assertThat(t.numel()).isEqualTo(1);
        assertThat(t.toLongs()).containsExactly(7);
    }

    @Test
    void floatsRoundTripThroughLittleEndianBytes() {
        HostTensor t = HostTensor.ofFloats(new long[] {3}, new float[] {1.5f, -2f, 0f});
        assertThat(t.data()).startsWith((byte) 0x00, (byte) 0x00, (byte) 0xC0, (byte) 0x3F);
        assertThat(t.toFloats()).containsExactly(1.5f, -2f, 0f);
    }

    @Test
    void halfPrecisionDecodesNormalsSubnormalsAndSpecials() {
        short[] halves = {0x3C00, (short) 0xC000, 0x0001, 0x7C00, 0x0000};
        HostTensor t = new HostTensor(DType.F16, new long[] {5}, le16(halves));
        float[] f = t.toFloats();
        assertThat(f[0]).isEqualTo(1f);
        assertThat(f[1]).isEqualTo(-2f);
        assertThat(f[2]).isEqualTo(0x1p-24f);
        assertThat(f[3]).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(f[4]).isEqualTo(0f);
    }

    @Test
    void bfloat16IsTheUpperHalfOfAFloat() {
        HostTensor t = new HostTensor(DType.BF16, new long[] {2}, le16(new short[] {0x3FC0, (short) 0xBF80}));
        assertThat(t.toFloats()).containsExactly(1.5f, -1f);
    }

    @Test
    void integerTensorsConvertToFloats() {
        assertThat(HostTensor.ofLongs(new long[] {2}, new long[] {-3, 1L << 20}).toFloats())
                .containsExactly(-3f, 1048576f);
    }

    @Test
    void unsignedBytesAreNotSignExtended() {
        HostTensor t = new HostTensor(DType.U8, new long[] {1}, new byte[] {(byte) 200});
        assertThat(t.toLongs()).containsExactly(200);
        assertThat(t.toFloats()).containsExactly(200f);
    }

    @Test
    void toLongsRefusesFloatingPointRatherThanTruncating() {
        assertThatThrownBy(() -> HostTensor.ofFloats(new long[] {1}, new float[] {1.5f}).toLongs())
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void equalityComparesContentsNotArrayIdentity() {
        HostTensor a = HostTensor.ofFloats(new long[] {2}, new float[] {1, 2});
        HostTensor b = HostTensor.ofFloats(new long[] {2}, new float[] {1, 2});
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(HostTensor.ofFloats(new long[] {2}, new float[] {1, 3}));
        assertThat(a).isNotEqualTo(HostTensor.ofFloats(new long[] {2, 1}, new float[] {1, 2}));
        assertThat(a.toString()).contains("F32", "[2]");
    }

    @Test
    void shapeCannotBeMutatedFromOutside() {
        long[] shape = {2};
        HostTensor t = HostTensor.ofFloats(shape, new float[] {1, 2});
        shape[0] = 99;
        t.shape()[0] = 99;
        assertThat(t.shape()).containsExactly(2);
    }

    private static byte[] le16(short[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short v : values) {
            b.putShort(v);
        }
        return b.array();
    }
}
