package org.spin.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.spin.SpinException;

/**
 * One writer per run directory (or sweep shard): an exclusive lock on a file in it, held while the
 * writer runs. A second process that starts on the same directory (the same shard launched twice,
 * a {@code train} into a sweep's run) is refused with a line naming the holder.
 *
 * <p>The lock is the operating system's ({@code fcntl}), so it dies with its process: a run killed
 * with SIGKILL leaves no lock to clean up, and the next writer takes it over (it finds the dead
 * holder's note in the file and says so). Within one JVM the lock is reentrant for the thread that
 * holds it (a sweep holds a run's lock while the trainer it calls takes it again) and refused to
 * any other thread.
 */
public final class DirectoryLock implements AutoCloseable {

    /** Locks this JVM holds, by lock file: a second FileLock on the same file would throw. */
    private static final Map<Path, DirectoryLock> HELD = new HashMap<>();

    private final Path file;
    private final Thread owner;
    private final FileChannel channel;
    private final FileLock lock;
    private final String takenOver;
    private int holds = 1;

    private DirectoryLock(Path file, FileChannel channel, FileLock lock, String takenOver) {
        this.file = file;
        this.owner = Thread.currentThread();
        this.channel = channel;
        this.lock = lock;
        this.takenOver = takenOver;
    }

    /**
     * Takes the lock file {@code name} in {@code dir} (created if missing).
     *
     * @param what what the holder is doing, for the message a refused writer prints ("spin train")
     * @throws SpinException naming the holder when another process or thread holds it
     */
    public static DirectoryLock acquire(Path dir, String name, String what) {
        Path file = dir.resolve(name).toAbsolutePath().normalize();
        synchronized (HELD) {
            DirectoryLock held = HELD.get(file);
            if (held != null) {
                if (held.owner == Thread.currentThread()) {
                    held.holds++;
                    return held;
                }
                throw new SpinException(dir + " is in use by this process (thread " + held.owner.getName()
                        + "); one writer per directory");
            }
            FileChannel channel = null;
            try {
                Files.createDirectories(dir);
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
                FileLock lock = channel.tryLock();
                if (lock == null) {
                    String holder = read(channel).orElse("another process");
                    throw new SpinException(dir + " is in use by " + holder + "; wait for it to finish or stop it"
                            + " (one writer per directory)");
                }
                String previous = read(channel).orElse(null); // a holder that let go empties the file
                byte[] note = (what + ", pid " + ProcessHandle.current().pid() + " on " + host() + ", since "
                        + Instant.now()).getBytes(StandardCharsets.UTF_8);
                channel.truncate(0);
                channel.write(ByteBuffer.wrap(note), 0);
                channel.force(false);
                DirectoryLock taken = new DirectoryLock(file, channel, lock, previous);
                HELD.put(file, taken);
                return taken;
            } catch (OverlappingFileLockException e) {
                close(channel);
                throw new SpinException(dir + " is in use by this process; one writer per directory");
            } catch (IOException e) {
                close(channel);
                throw new SpinException(file + ": cannot take the lock (" + e.getMessage() + ")");
            } catch (RuntimeException e) {
                close(channel);
                throw e;
            }
        }
    }

    /** The note of a holder that died without letting go (SIGKILL, power cut), whose lock this took over. */
    public Optional<String> takenOverFrom() {
        return Optional.ofNullable(takenOver);
    }

    /** Lets go once every {@link #acquire} of this thread has been closed; the file stays, emptied. */
    @Override
    public void close() {
        synchronized (HELD) {
            if (--holds > 0) {
                return;
            }
            HELD.remove(file);
            try {
                channel.truncate(0);
                lock.release();
            } catch (IOException e) {
                // the lock goes with the channel below in any case
            } finally {
                close(channel);
            }
        }
    }

    private static Optional<String> read(FileChannel channel) throws IOException {
        long size = Math.min(channel.size(), 4096);
        ByteBuffer b = ByteBuffer.allocate((int) size);
        channel.read(b, 0);
        String text = new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).strip();
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    /** The kernel's host name; no DNS look-up, which can hang for seconds on a badly set-up node. */
    private static String host() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException | RuntimeException e) {
            String env = System.getenv("HOSTNAME");
            return env != null ? env : "this host";
        }
    }

    private static void close(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing was written through it that matters
            }
        }
    }
}
