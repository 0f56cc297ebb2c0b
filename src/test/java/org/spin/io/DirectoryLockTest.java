package org.spin.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spin.SpinException;

/** One writer per directory: refused while another holds it, taken over once the holder is dead. */
public class DirectoryLockTest {

    @TempDir
    Path tmp;

    /** Run as a child JVM: takes the lock file args[1] (default test.lock) in args[0], says so, and waits to be killed. */
    public static void main(String[] args) throws Exception {
        DirectoryLock lock = DirectoryLock.acquire(Path.of(args[0]), args.length > 1 ? args[1] : "test.lock", "the test's holder");
        System.out.println("held");
        System.out.flush();
        Thread.sleep(600_000);
        lock.close();
    }

    @Test
    void aSecondProcessIsRefusedNamingTheHolderAndTakesOverOnceTheHolderIsKilled() throws Exception {
        Process holder = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), DirectoryLockTest.class.getName(), tmp.toString()))
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertThat(CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (java.io.IOException e) {
                    return e.toString();
                }
            }).get(60, TimeUnit.SECONDS)).isEqualTo("held");

            assertThatThrownBy(() -> DirectoryLock.acquire(tmp, "test.lock", "a second writer"))
                    .isInstanceOf(SpinException.class)
                    .hasMessageContaining(tmp + " is in use by the test's holder, pid " + holder.pid())
                    .hasMessageNotContaining("\n");

            holder.destroyForcibly(); // SIGKILL: no chance to let go
            holder.waitFor();
            try (DirectoryLock taken = DirectoryLock.acquire(tmp, "test.lock", "the successor")) {
                assertThat(taken.takenOverFrom()).hasValueSatisfying(
                        note -> assertThat(note).contains("the test's holder, pid " + holder.pid()));
            }
            // a holder that let go leaves nothing to take over
            try (DirectoryLock again = DirectoryLock.acquire(tmp, "test.lock", "the next one")) {
                assertThat(again.takenOverFrom()).isEmpty();
            }
        } finally {
            holder.destroyForcibly();
        }
    }

    @Test
    void reentrantForItsThreadAndRefusedToAnotherThread() throws Exception {
        try (DirectoryLock outer = DirectoryLock.acquire(tmp, "test.lock", "outer");
             DirectoryLock inner = DirectoryLock.acquire(tmp, "test.lock", "inner")) {
            assertThat(inner).isSameAs(outer);
            Throwable other = CompletableFuture.supplyAsync(() -> {
                try (DirectoryLock l = DirectoryLock.acquire(tmp, "test.lock", "another thread")) {
                    return null;
                } catch (RuntimeException e) {
                    return (Throwable) e;
                }
            }).get(30, TimeUnit.SECONDS);
            assertThat(other).isInstanceOf(SpinException.class).hasMessageContaining("in use by this process");
        }
        // both closes done: free for anyone
        assertThat(CompletableFuture.supplyAsync(() -> {
            try (DirectoryLock l = DirectoryLock.acquire(tmp, "test.lock", "another thread")) {
                return true;
            }
        }).get(30, TimeUnit.SECONDS)).isTrue();
    }
}
