package org.spin.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spin.SpinException;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void writesContentAndCreatesMissingParentDirectories() throws IOException {
        Path target = dir.resolve("a/b/out.bin");
        AtomicFiles.write(target, out -> out.write("hello".getBytes(StandardCharsets.UTF_8)));
        assertThat(target).hasContent("hello");
        assertThat(listing(target.getParent())).containsExactly("out.bin");
    }

    @Test
    void writerThatThrowsLeavesNoFileBehind() throws IOException {
        Path target = dir.resolve("out.bin");
        assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
            out.write(new byte[1000]);
            throw new IOException("disk full");
        })).isInstanceOf(SpinException.class).hasMessageContaining("out.bin").hasMessageContaining("disk full");
        assertThat(listing(dir)).isEmpty();
    }

    @Test
    void runtimeFailureKeepsThePreviousFileIntact() throws IOException {
        Path target = dir.resolve("ckpt.safetensors");
        Files.writeString(target, "old");
        assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
            out.write("partial".getBytes(StandardCharsets.UTF_8));
            throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(target).hasContent("old");
        assertThat(listing(dir)).containsExactly("ckpt.safetensors");
    }

    @Test
    void replacesAnExistingFile() throws IOException {
        Path target = dir.resolve("x.txt");
        Files.writeString(target, "old");
        AtomicFiles.write(target, out -> out.write("new".getBytes(StandardCharsets.UTF_8)));
        assertThat(target).hasContent("new");
    }

    @Test
    void writerMayCloseTheStream() throws IOException {
        Path target = dir.resolve("closed.txt");
        AtomicFiles.write(target, out -> {
            try (out) {
                out.write('x');
            }
        });
        assertThat(target).hasContent("x");
    }

    private static Stream<String> listingStream(Path d) throws IOException {
        return Files.list(d).map(p -> p.getFileName().toString());
    }

    private static java.util.List<String> listing(Path d) throws IOException {
        try (Stream<String> s = listingStream(d)) {
            return s.toList();
        }
    }
}
