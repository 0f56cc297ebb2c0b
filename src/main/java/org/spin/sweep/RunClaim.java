package org.spin.sweep;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.spin.SpinException;

/**
 * A worker's claim on a run of a sweep, so that workers on any machines sharing the sweep folder
 * each take the next run nobody has: the file {@code claim} in the run's folder, created
 * exclusively (an atomic create, on local disks and NFS alike), whose modification time a
 * heartbeat renews. A claim whose heartbeat is older than the stale limit belongs to a worker that
 * was killed or lost its node: it is taken over by an atomic rename, which only one taker wins,
 * and the run resumes from its checkpoint. Releasing deletes the file.
 */
public final class RunClaim implements AutoCloseable {

    public static final String FILE = "claim";

    private final Path file;
    private final ScheduledExecutorService heartbeat;

    private RunClaim(Path file, Duration beat) {
        this.file = file;
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "spin-claim-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long ms = Math.max(1, beat.toMillis());
        heartbeat.scheduleAtFixedRate(this::beat, ms, ms, TimeUnit.MILLISECONDS);
    }

    /**
     * Claims {@code runDir} for {@code worker}, or returns empty when another worker's claim on it
     * is alive (its heartbeat younger than {@code stale}).
     *
     * @param beat how often the claim's heartbeat is renewed while it is held; well under {@code stale}
     * @param tookOver told the dead claim's content when this takes over a stale one
     */
    public static Optional<RunClaim> tryClaim(Path runDir, String worker, Duration beat, Duration stale,
                                              java.util.function.Consumer<String> tookOver) {
        Path file = runDir.resolve(FILE);
        try {
            Files.createDirectories(runDir);
            for (int attempt = 0; attempt < 3; attempt++) {
                try {
                    Files.writeString(file, worker + " (pid " + ProcessHandle.current().pid() + " on " + host()
                            + ") since " + Instant.now() + "\n", StandardCharsets.UTF_8,
                            java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
                    return Optional.of(new RunClaim(file, beat));
                } catch (FileAlreadyExistsException held) {
                    FileTime last;
                    try {
                        last = Files.getLastModifiedTime(file);
                    } catch (NoSuchFileException released) {
                        continue; // released between the two calls: try again
                    }
                    if (Duration.between(last.toInstant(), Instant.now()).compareTo(stale) < 0) {
                        return Optional.empty();
                    }
                    // stale: move it aside; of several takers only one rename finds the file
                    Path aside = runDir.resolve(FILE + ".stale-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
                    try {
                        Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
                    } catch (NoSuchFileException lost) {
                        return Optional.empty(); // another worker took it over first
                    }
                    String dead = Files.readString(aside, StandardCharsets.UTF_8).strip();
                    Files.deleteIfExists(aside);
                    tookOver.accept(dead);
                }
            }
            return Optional.empty();
        } catch (AtomicMoveNotSupportedException e) {
            throw new SpinException(runDir + ": the filesystem cannot rename atomically, which claiming runs needs;"
                    + " use --shard i/n there");
        } catch (IOException e) {
            throw new SpinException(file + ": cannot claim the run (" + e.getMessage() + ")");
        }
    }

    /** Whether {@code runDir} holds a claim whose heartbeat is younger than {@code stale}. */
    public static boolean isClaimed(Path runDir, Duration stale) {
        try {
            FileTime last = Files.getLastModifiedTime(runDir.resolve(FILE));
            return Duration.between(last.toInstant(), Instant.now()).compareTo(stale) < 0;
        } catch (IOException e) {
            return false;
        }
    }

    private void beat() {
        try {
            Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
        } catch (IOException e) {
            // taken over (this worker was thought dead) or the folder is gone: nothing to renew
        }
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "an unknown host";
        }
    }

    /** Stops the heartbeat and deletes the claim. */
    @Override
    public void close() {
        heartbeat.shutdownNow();
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a claim left behind goes stale and is taken over; the run's result.json says it is done
        }
    }
}
