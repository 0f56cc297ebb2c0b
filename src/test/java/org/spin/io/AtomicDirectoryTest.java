package org.spin.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicDirectoryTest {

    @TempDir
    Path tmp;

    private String[] names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
        }
    }

    @Test
    void theDirectoryAppearsWithEverythingTheWriterPutInIt() throws IOException {
        Path target = tmp.resolve("report");
        AtomicDirectory.write(target, dir -> {
            Files.writeString(dir.resolve("a.txt"), "a");
            Files.writeString(dir.resolve("b.txt"), "b");
        });
        assertThat(names(target)).containsExactly("a.txt", "b.txt");
        assertThat(names(tmp)).containsExactly("report");
    }

    @Test
    void anExistingDirectoryIsReplacedWhole() throws IOException {
        Path target = Files.createDirectories(tmp.resolve("report"));
        Files.writeString(target.resolve("old.txt"), "old");
        AtomicDirectory.write(target, dir -> Files.writeString(dir.resolve("new.txt"), "new"));
        assertThat(names(target)).containsExactly("new.txt");
        assertThat(names(tmp)).containsExactly("report");
    }

    @Test
    void aWriterThatFailsHalfwayLeavesTheOldDirectoryAndNoTrace() throws IOException {
        Path target = Files.createDirectories(tmp.resolve("report"));
        Files.writeString(target.resolve("old.txt"), "old");
        assertThatThrownBy(() -> AtomicDirectory.write(target, dir -> {
            Files.writeString(dir.resolve("half.txt"), "half");
            throw new IllegalStateException("chart failed");
        })).isInstanceOf(IllegalStateException.class).hasMessage("chart failed");
        assertThat(names(target)).containsExactly("old.txt");
        assertThat(names(tmp)).containsExactly("report");
    }

    @Test
    void aWriterThatFailsWithNoOldDirectoryLeavesNothing() throws IOException {
        Path target = tmp.resolve("report");
        assertThatThrownBy(() -> AtomicDirectory.write(target, dir -> {
            throw new IOException("disk full");
        })).hasMessageContaining(target + ": could not write directory").hasMessageContaining("disk full");
        assertThat(names(tmp)).isEmpty();
    }
}
