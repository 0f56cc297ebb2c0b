package org.spin.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {

    @TempDir
    Path dir;

    @Test
    void roundTripKeepsTensorsOrderAndMetadata() {
        Map<String, HostTensor> tensors = new LinkedHashMap<>();
        tensors.put("z.weight", HostTensor.ofFloats(new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}));
        tensors.put("a.num_batches_tracked", HostTensor.ofLongs(new long[0], new long[] {42}));
        tensors.put("m.mask", new HostTensor(DType.BOOL, new long[] {3}, new byte[] {1, 0, 1}));
        tensors.put("empty", HostTensor.ofFloats(new long[] {0, 4}, new float[0]));
        Map<String, String> metadata = Map.of("format", "pt", "cfg", "model:\n  dim: 32\n  \"quoted\": é");
        Path file = dir.resolve("model.safetensors");

        SafeTensors.write(file, tensors, metadata);
        SafeTensorsFile read = SafeTensors.read(file);

        assertThat(read.tensors()).containsExactlyEntriesOf(tensors);
        assertThat(read.metadata()).isEqualTo(metadata);
    }

    @Test
    void headerIsPaddedWithSpacesToEightByteAlignment() throws IOException {
        Path file = dir.resolve("odd.safetensors");
        SafeTensors.write(file, Map.of("x", HostTensor.ofFloats(new long[] {1}, new float[] {1})), Map.of());

        byte[] bytes = Files.readAllBytes(file);
        long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
        assertThat(headerLength % 8).isZero();
        assertThat(header).startsWith("{").doesNotContain("__metadata__");
        assertThat(header.stripTrailing()).endsWith("}");
        assertThat(bytes).hasSize((int) (8 + headerLength + 4));
    }

    @Test
    void fileWithoutMetadataReadsAsEmptyMetadata() {
        Path file = dir.resolve("plain.safetensors");
        SafeTensors.write(file, Map.of("x", HostTensor.ofFloats(new long[] {1}, new float[] {1})));
        assertThat(SafeTensors.read(file).metadata()).isEmpty();
    }
}
