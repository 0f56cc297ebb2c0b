package org.spin.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.spin.data.IdxFixtures.gzip;
import static org.spin.data.IdxFixtures.idx;
import static org.spin.data.IdxFixtures.images;
import static org.spin.data.IdxFixtures.pixels;
import static org.spin.data.IdxFixtures.write;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spin.SpinException;

class IdxReaderTest {

    @TempDir
    Path dir;

    @Test
    void readsPlainFile() {
        Path file = write(dir.resolve("img"), images(3, 2, 2, pixels(3, 2, 2)));

        IdxArray array = IdxReader.read(file, 3);

        assertThat(array.dims()).containsExactly(3, 2, 2);
        assertThat(array.data()).isEqualTo(pixels(3, 2, 2));
    }

    @Test
    void readsGzipFile() {
        Path file = write(dir.resolve("img.gz"), gzip(images(3, 2, 2, pixels(3, 2, 2))));

        IdxArray array = IdxReader.read(file, 3);

        assertThat(array.dims()).containsExactly(3, 2, 2);
        assertThat(array.data()).isEqualTo(pixels(3, 2, 2));
    }

    @Test
    void detectsGzipByMagicNotByName() {
        Path file = write(dir.resolve("looks-plain"), gzip(IdxFixtures.labels(new byte[] {1, 2, 3})));

        assertThat(IdxReader.read(file, 1).data()).containsExactly(1, 2, 3);
    }

    @Test
    void wrongMagicNamesFileAndExpectedMagic() {
        Path file = write(dir.resolve("labels-as-images"), IdxFixtures.labels(new byte[] {1}));

        assertThatThrownBy(() -> IdxReader.read(file, 3))
                .isInstanceOf(SpinException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("magic 0x00000801")
                .hasMessageContaining("expected 0x00000803");
    }

    @Test
    void fewerBytesThanHeaderDeclaresIsTruncated() {
        byte[] full = images(3, 2, 2, pixels(3, 2, 2));
        Path file = write(dir.resolve("short"), Arrays.copyOf(full, full.length - 1));

        assertThatThrownBy(() -> IdxReader.read(file, 3))
                .isInstanceOf(SpinException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("truncated")
                .hasMessageContaining("12 data bytes but only 11");
    }

    @Test
    void gzipOfTooFewBytesIsTruncated() {
        byte[] full = images(3, 2, 2, pixels(3, 2, 2));
        Path file = write(dir.resolve("short.gz"), gzip(Arrays.copyOf(full, full.length - 5)));

        assertThatThrownBy(() -> IdxReader.read(file, 3))
                .isInstanceOf(SpinException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("truncated");
    }

    @Test
    void headerCutShortIsTruncated() {
        Path file = write(dir.resolve("header"), Arrays.copyOf(images(3, 2, 2, new byte[12]), 9));

        assertThatThrownBy(() -> IdxReader.read(file, 3))
                .isInstanceOf(SpinException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("truncated inside its header");
    }

    @Test
    void corruptGzipNamesFile() {
        byte[] bad = gzip(images(3, 2, 2, pixels(3, 2, 2)));
        for (int i = 10; i < bad.length - 8; i++) {
            bad[i] = (byte) 0xff;
        }
        Path file = write(dir.resolve("bad.gz"), bad);

        assertThatThrownBy(() -> IdxReader.read(file, 3))
                .isInstanceOf(SpinException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("gzip");
    }

    @Test
    void gzipStreamCutShortNamesFile() {
        byte[] gz = gzip(images(50, 4, 4, new byte[800]));
        Path file = write(dir.resolve("cut.gz"), Arrays.copyOf(gz, gz.length / 2));

        assertThatThrownBy(() -> IdxReader.read(file, 3))
                .isInstanceOf(SpinException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("gzip");
    }

    @Test
    void trailingBytesAreRejected() {
        byte[] full = images(3, 2, 2, pixels(3, 2, 2));
        Path file = write(dir.resolve("long"), Arrays.copyOf(full, full.length + 4));

        assertThatThrownBy(() -> IdxReader.read(file, 3))
                .isInstanceOf(SpinException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("after the 12 declared");
    }

    @Test
    void absurdHeaderSizeIsRejectedWithoutAllocating() {
        Path file = write(dir.resolve("huge"), idx(0x803, new int[] {60000, 60000, 60000}, new byte[4]));

        assertThatThrownBy(() -> IdxReader.read(file, 3))
                .isInstanceOf(SpinException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("2^31");
    }

    @Test
    void missingFileNamesIt() {
        Path file = dir.resolve("nope");

        assertThatThrownBy(() -> IdxReader.read(file, 1))
                .isInstanceOf(SpinException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("does not exist");
    }
}
