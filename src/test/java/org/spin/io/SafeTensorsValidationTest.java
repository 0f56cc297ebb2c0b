package org.spin.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spin.SpinException;

/** Each corrupt file must fail with a SpinException that names the file and what was expected. */
class SafeTensorsValidationTest {

    @TempDir
    Path dir;

    @Test
    void fileShorterThanTheLengthPrefix() throws IOException {
        Path file = Files.write(dir.resolve("tiny.safetensors"), new byte[] {1, 2, 3});
        refused(file).hasMessageContaining("3 bytes");
    }

    @Test
    void headerLengthBeyondTheFile() throws IOException {
        Path file = raw("{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 30));
        refused(file).hasMessageContaining("header length");
    }

    @Test
    void absurdHeaderLength() throws IOException {
        byte[] bytes = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).array();
        refused(Files.write(dir.resolve("huge.safetensors"), bytes)).hasMessageContaining("limit");
    }

    @Test
    void headerThatIsNotJson() throws IOException {
        refused(raw("{not json}", 0)).hasMessageContaining("not valid JSON");
    }

    @Test
    void headerThatIsNotAnObject() throws IOException {
        refused(raw("[1, 2]", 0)).hasMessageContaining("expected a JSON object");
    }

    @Test
    void unknownDtype() throws IOException {
        refused(raw("{\"x\":{\"dtype\":\"F8\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1))
                .hasMessageContaining("'x'").hasMessageContaining("dtype 'F8'");
    }

    @Test
    void offsetsThatDisagreeWithShape() throws IOException {
        refused(raw("{\"head.fc.weight\":{\"dtype\":\"F32\",\"shape\":[10,32],\"data_offsets\":[0,40]}}", 40))
                .hasMessageContaining("tensor 'head.fc.weight' data offsets [0, 40] hold 40 bytes but dtype F32 "
                        + "shape [10, 32] needs 1280");
    }

    @Test
    void overlappingOffsets() throws IOException {
        refused(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12))
                .hasMessageContaining("overlap");
    }

    @Test
    void offsetsPastTheEndOfTheFile() throws IOException {
        refused(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8))
                .hasMessageContaining("'a'").hasMessageContaining("truncated");
    }

    @Test
    void dataRegionNotFullyCovered() throws IOException {
        refused(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 12))
                .hasMessageContaining("12 bytes").hasMessageContaining("cover 4");
    }

    @Test
    void gapBetweenTensors() throws IOException {
        refused(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", 12))
                .hasMessageContaining("[4, 8]");
    }

    @Test
    void duplicateTensorNames() throws IOException {
        refused(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8))
                .hasMessageContaining("'a' twice");
    }

    @Test
    void nonStringMetadata() throws IOException {
        refused(raw("{\"__metadata__\":{\"epoch\":3},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4))
                .hasMessageContaining("'epoch'").hasMessageContaining("must be strings");
    }

    @Test
    void negativeOrFractionalShape() throws IOException {
        refused(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4))
                .hasMessageContaining("non-negative integers");
        refused(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", 4))
                .hasMessageContaining("non-negative integers");
    }

    // Found by the fuzzer (ReadersFuzzTest): Gson's messages end in a second line pointing at its
    // troubleshooting page, which broke the one-line message.
    @Test
    void malformedJsonIsReportedOnOneLine() throws IOException {
        refused(raw("{\"a\" 1}", 0)).hasMessageContaining("not valid JSON").hasMessageNotContaining("\n");
    }

    // Found by the fuzzer: a name is outside text and may hold line breaks or terminal escapes.
    @Test
    void controlCharactersInATensorNameAreEscaped() throws IOException {
        refused(raw("{\"a\\nb\\u001b[2J\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4))
                .hasMessageContaining("tensor 'a\\nb\\u001b[2J' data offsets")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n", "\u001b"));
    }

    // A dimension of 1000 digits (Gson's longest number) was copied into the message whole.
    @Test
    void aHugeNumberIsShownOnlyInPart() throws IOException {
        refused(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[" + "9".repeat(1_000) + "],\"data_offsets\":[0,4]}}", 4))
                .hasMessageContaining("(1000 characters); expected non-negative integers")
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(600));
    }

    @Test
    void missingFile() {
        refused(dir.resolve("absent.safetensors")).hasMessageContaining("not found");
    }

    private AbstractThrowableAssert<?, ? extends Throwable> refused(Path file) {
        return assertThatThrownBy(() -> SafeTensors.read(file))
                .isInstanceOf(SpinException.class)
                .hasMessageStartingWith(file.toString() + ": ");
    }

    /** A file with {@code header} verbatim and {@code dataBytes} zero bytes of data. */
    private Path raw(String header, int dataBytes) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length).put(json);
        return Files.write(Files.createTempFile(dir, "bad", ".safetensors"), b.array());
    }
}
