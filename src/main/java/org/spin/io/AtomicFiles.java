package org.spin.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import org.spin.SpinException;

/**
 * Writes files so that readers (and a crashed or interrupted run) only ever see the old file or
 * the complete new one. Training writes checkpoints repeatedly; a half-written checkpoint that
 * replaced a good one would lose the run.
 */
public final class AtomicFiles {

    private AtomicFiles() {}

    /**
     * Streams {@code writer}'s output into a temporary file beside {@code target}, forces it to
     * disk, then renames it over {@code target}. The temporary file lives in the same directory
     * because a rename is only atomic within one file system. On any failure the temporary file
     * is deleted and an existing {@code target} is left untouched.
     *
     * @throws SpinException naming {@code target} if an I/O error occurs; runtime exceptions
     *     thrown by {@code writer} propagate unchanged after cleanup
     */
    public static void write(Path target, IOConsumer<OutputStream> writer) {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Path temp = null;
        boolean moved = false;
        try {
            Files.createDirectories(dir);
            temp = createTemp(dir, absolute.getFileName().toString());
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
                writer.accept(new CloseShield(out));
                out.flush();
                channel.force(true);
            }
            slowWriteForCrashTrials();
            Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
            forceDirectory(dir);
        } catch (IOException e) {
            throw new SpinException(target + ": could not write file: " + e, e);
        } finally {
            if (!moved && temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // the original failure is the one worth reporting
                }
            }
        }
    }

    /**
     * With {@code -Dspin.debug.slowWriteMillis=M}, waits M ms between writing a temporary file and
     * renaming it into place, so that crash trials ({@code bench/crash-resume}) can kill a process in
     * the middle of a checkpoint on purpose. Off (0) otherwise.
     */
    private static void slowWriteForCrashTrials() {
        long millis = Long.getLong("spin.debug.slowWriteMillis", 0);
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Removes the temporary files a writer killed mid-write left in {@code dir} (a temporary file is
     * never the only copy of anything: the rename that would have made it one never happened). Call
     * only while holding the directory's lock, so no live writer's file is taken.
     */
    public static void deleteLeftovers(Path dir) {
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String n = f.getFileName().toString();
                if (n.startsWith(".") && n.endsWith(".tmp") && Files.isRegularFile(f)) {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException e) {
            throw new SpinException(dir + ": cannot list the folder (" + e.getMessage() + ")");
        }
    }

    /**
     * Forces the rename itself to disk: without it a power cut after {@code write} returns can
     * bring back the old file, or none. Best effort, as Lucene does: some platforms cannot open a
     * directory as a channel, and the file's own data is already forced.
     */
    private static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // not supported here (e.g. Windows); the rename stands
        }
    }

    /**
     * Creates the temporary file with {@code Files.createFile} rather than
     * {@code Files.createTempFile}: the latter is owner-only (0600), and that mode would stick to
     * the renamed result, unlike any other file the user writes.
     */
    private static Path createTemp(Path dir, String name) throws IOException {
        while (true) {
            Path candidate = dir.resolve("." + name + "." + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
            try {
                return Files.createFile(candidate);
            } catch (FileAlreadyExistsException e) {
                // astronomically unlikely; pick another name
            }
        }
    }

    /**
     * Lets a writer call {@code close()} (try-with-resources, wrapping streams) without closing
     * the channel before we have flushed and forced it.
     */
    private static final class CloseShield extends FilterOutputStream {
        CloseShield(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
