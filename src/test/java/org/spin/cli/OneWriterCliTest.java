package org.spin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spin.io.DirectoryLock;
import org.spin.io.DirectoryLockTest;
import org.spin.train.RunDirectory;

/** A run directory or sweep shard in use by another writer is refused in one line, naming the holder. */
class OneWriterCliTest {

    @TempDir
    Path tmp;

    private static final List<String> TINY = List.of("TRAIN.DATASET", "synthetic", "CONVMIXER.CHANNEL", "8",
            "CONVMIXER.DEPTH", "2", "CONVMIXER.PATCH_KERNEL", "4", "CONVMIXER.PATCH_STRIDE", "4",
            "DATA.INPUT_CHANNEL_NUM", "[1]");

    @Test
    void trainingIntoARunDirectoryAnotherProcessHoldsIsRefused() throws Exception {
        Path run = Files.createDirectories(tmp.resolve("run"));
        Process holder = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), DirectoryLockTest.class.getName(), run.toString(),
                RunDirectory.LOCK)).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("held");
            List<String> args = new java.util.ArrayList<>(List.of("train", "--epochs", "1", "--output", run.toString()));
            args.addAll(TINY);
            CliTest.Outcome o = CliTest.run(args.toArray(String[]::new));
            assertThat(o.code()).isEqualTo(2);
            assertThat(o.err().strip()).startsWith("spin: " + run + " is in use by the test's holder, pid " + holder.pid())
                    .doesNotContain("\n");
            try (var files = Files.list(run)) {
                assertThat(files.map(f -> f.getFileName().toString()).toList()).containsExactly(RunDirectory.LOCK);
            }
        } finally {
            holder.destroyForcibly();
        }
    }

    @Test
    void theSameSweepShardLaunchedTwiceIsRefused() throws Exception {
        Path file = tmp.resolve("tiny.yaml");
        Files.writeString(file, "set:\n  TRAIN.DATASET: synthetic\ngrid:\n  CONVMIXER.KERNEL: [3, 5]\n");
        Path out = tmp.resolve("sweep");
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        Thread first = new Thread(() -> {
            try (DirectoryLock shard = DirectoryLock.acquire(out, ".shard-1-of-2.lock", "spin sweep shard 1/2")) {
                held.countDown();
                done.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "first-launch");
        first.start();
        assertThat(held.await(30, TimeUnit.SECONDS)).isTrue();
        try {
            CliTest.Outcome o = CliTest.run("sweep", file.toString(), "--output", out.toString(), "--shard", "1/2");
            assertThat(o.code()).isEqualTo(2);
            assertThat(o.err().strip())
                    .isEqualTo("spin: " + out + " is in use by this process (thread first-launch); one writer per directory");
        } finally {
            done.countDown();
            first.join(30_000);
        }
        assertThat(out.resolve("runs")).doesNotExist();
    }
}
