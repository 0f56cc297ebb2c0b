package org.spin.io;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.spin.SpinException;

/**
 * Writes a directory of files so that it appears whole or not at all, as {@link AtomicFiles} does
 * for one file: a report that failed halfway must not be left looking like a report.
 */
public final class AtomicDirectory {

    private AtomicDirectory() {}

    /**
     * Lets {@code writer} fill a fresh temporary directory beside {@code target} (same parent, so
     * the rename stays on one file system), then renames it to {@code target}. An existing
     * {@code target} is first renamed aside and deleted only once the new one is in place; the
     * window between the two renames is the one moment {@code target} is missing. On failure the
     * temporary directory is deleted and {@code target} is left as it was.
     *
     * @throws SpinException naming {@code target} if an I/O error occurs; runtime exceptions
     *     thrown by {@code writer} propagate unchanged after cleanup
     */
    public static void write(Path target, IOConsumer<Path> writer) {
        Path absolute = target.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        if (parent == null) {
            throw new SpinException(target + ": cannot replace a file system root");
        }
        String name = absolute.getFileName().toString();
        Path temp = null;
        Path old = null;
        try {
            Files.createDirectories(parent);
            temp = createSibling(parent, name, "tmp");
            writer.accept(temp);
            if (Files.exists(absolute)) {
                old = createSibling(parent, name, "old");
                Files.delete(old); // only reserved the name
                Files.move(absolute, old, StandardCopyOption.ATOMIC_MOVE);
            }
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                if (old != null) {
                    Files.move(old, absolute, StandardCopyOption.ATOMIC_MOVE);
                    old = null;
                }
                throw e;
            }
            temp = null;
        } catch (IOException e) {
            throw new SpinException(target + ": could not write directory: " + e, e);
        } finally {
            deleteQuietly(temp);
            deleteQuietly(old);
        }
    }

    /** A new empty directory {@code .NAME.RANDOM.SUFFIX}, hidden so listings do not show it. */
    private static Path createSibling(Path parent, String name, String suffix) throws IOException {
        while (true) {
            Path candidate = parent.resolve("." + name + "." + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + "." + suffix);
            try {
                return Files.createDirectory(candidate);
            } catch (FileAlreadyExistsException e) {
                // astronomically unlikely; pick another name
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException ignored) {
                    // best effort: the original outcome is the one worth reporting
                }
            });
        } catch (IOException ignored) {
            // best effort, as above
        }
    }
}
