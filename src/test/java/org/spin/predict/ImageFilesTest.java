package org.spin.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.modality.cv.Image;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spin.SpinException;

class ImageFilesTest {

    @TempDir
    Path tmp;

    @Test
    void readsAnImageWithItsSize() {
        Path file = TestImages.rgb(tmp.resolve("a.png"), TestImages.randomRgb(5, 7, 1));
        Image image = ImageFiles.read(file);
        assertThat(image.getWidth()).isEqualTo(7);
        assertThat(image.getHeight()).isEqualTo(5);
    }

    // Found by the fuzzer (ReadersFuzzTest): a PNG header claiming a huge image made the decoder
    // allocate for seconds (gigabytes for a 16-bit image) before it noticed the data was missing.
    @Test
    void anImageDeclaringMorePixelsThanTheLimitIsRefusedBeforeItIsDecoded() throws Exception {
        Path file = TestImages.gray16(tmp.resolve("huge.png"), TestImages.randomGray(9, 9, 2));
        byte[] png = Files.readAllBytes(file);
        ByteBuffer.wrap(png).putInt(20, 134_217_737); // IHDR height, as one flipped bit made it
        Files.write(file, png);
        assertThatThrownBy(() -> ImageFiles.read(file)).isInstanceOf(SpinException.class)
                .hasMessage(file + ": image of 9x134217737 = 1207959633 pixels is larger than the 89478485-pixel"
                        + " limit; expected a smaller image (or a corrupt header)");
    }

    @Test
    void aTruncatedImageIsAOneLineError() throws Exception {
        Path file = TestImages.rgb(tmp.resolve("cut.png"), TestImages.randomRgb(16, 16, 3));
        byte[] png = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(png, png.length / 2));
        assertThatThrownBy(() -> ImageFiles.read(file)).isInstanceOf(SpinException.class)
                .hasMessage(file + ": not a readable image; expected a PNG or JPEG file");
    }
}
