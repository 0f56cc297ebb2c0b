package org.spin.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spin.sweep.ResultFile;
import org.spin.sweep.RunClaim;
import org.spin.sweep.SweepRun;
import org.spin.sweep.SweepSpec;
import org.spin.sweep.TinySweep;

/**
 * Workers that claim runs: every run ends exactly once however many workers share the folder, a
 * fusion run waits until its teacher is done, a live claim is left alone and a dead one (its
 * heartbeat stopped) is taken over.
 */
class ClaimingSweepTest {

    private static final Duration BEAT = Duration.ofMillis(200);
    private static final Duration STALE = Duration.ofSeconds(3);
    private static final Duration POLL = Duration.ofMillis(200);

    @TempDir
    Path tmp;

    private SweepSpec spec() throws Exception {
        Path file = tmp.resolve("sweep.yaml");
        Files.writeString(file, TinySweep.yaml(5, 7));
        return SweepSpec.read(file);
    }

    @Test
    void threeWorkersEndEveryRunExactlyOnceTheFusionRunAfterItsTeacher() throws Exception {
        SweepSpec spec = spec();
        Path out = tmp.resolve("out");
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Future<Sweep.Outcome>> workers = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            String name = "w" + w;
            workers.add(pool.submit(() -> new Sweep(spec, out, 0, 1).log(lines::add)
                    .claim(name, BEAT, STALE, POLL, new StopSignal())));
        }
        int trained = 0;
        for (Future<Sweep.Outcome> f : workers) {
            Sweep.Outcome o = f.get(10, TimeUnit.MINUTES);
            assertThat(o.failed()).as(String.join("\n", lines)).isZero();
            trained += o.trained();
        }
        pool.shutdown();
        List<SweepRun> runs = new Sweep(spec, out, 0, 1).runs();
        assertThat(trained).isEqualTo(runs.size());
        for (SweepRun r : runs) {
            Path dir = out.resolve("runs").resolve(r.name());
            assertThat(ResultFile.status(dir)).as(r.name()).isEqualTo("done");
            assertThat(lines.stream().filter(l -> l.contains(r.name() + " (w") && l.contains(": training "))).as(r.name())
                    .hasSize(1);
            assertThat(dir.resolve(RunClaim.FILE)).as("released").doesNotExist();
        }
        // the fusion run started only after its teacher had ended
        SweepRun fusion = runs.stream().filter(r -> r.teacher() != null).findFirst().orElseThrow();
        int teacherDone = indexOf(lines, fusion.teacher() + " (w", ": done");
        int fusionStart = indexOf(lines, fusion.name() + " (w", ": training ");
        assertThat(fusionStart).isGreaterThan(teacherDone);
    }

    @Test
    void aLiveClaimIsLeftAloneAndADeadOneIsTakenOverAndItsRunResumed() throws Exception {
        SweepSpec spec = spec();
        Path out = tmp.resolve("out");
        List<SweepRun> runs = new Sweep(spec, out, 0, 1).runs();
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        // a dead worker's claim: its heartbeat stopped a minute ago
        Path dead = out.resolve("runs").resolve(runs.get(0).name());
        Files.createDirectories(dead);
        Files.writeString(dead.resolve(RunClaim.FILE), "w-dead (pid 1 on gone) since then\n");
        Files.setLastModifiedTime(dead.resolve(RunClaim.FILE), FileTime.from(Instant.now().minusSeconds(60)));
        // a live worker's claim, renewed while the test holds it
        Path live = out.resolve("runs").resolve(runs.get(runs.size() - 1).name());
        try (RunClaim held = RunClaim.tryClaim(live, "w-live", BEAT, STALE, d -> { }).orElseThrow()) {
            ExecutorService pool = Executors.newSingleThreadExecutor();
            Future<Sweep.Outcome> worker = pool.submit(() -> new Sweep(spec, out, 0, 1).log(lines::add)
                    .claim("w1", BEAT, STALE, POLL, new StopSignal()));
            // the worker ends every other run, then waits on the live claim
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (lines.stream().noneMatch(l -> l.contains("claimed by another worker")) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(ResultFile.status(live)).as("the live claim's run was not touched").isNull();
            assertThat(lines).anyMatch(l -> l.contains(runs.get(0).name()) && l.contains("took over the claim of w-dead"));
            held.close(); // the live worker lets go without training it: the waiting worker takes it
            assertThat(worker.get(5, TimeUnit.MINUTES).failed()).isZero();
            pool.shutdown();
        }
        for (SweepRun r : runs) {
            assertThat(ResultFile.status(out.resolve("runs").resolve(r.name()))).as(r.name()).isEqualTo("done");
        }
    }

    private static int indexOf(List<String> lines, String a, String b) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(a) && lines.get(i).contains(b)) {
                return i;
            }
        }
        throw new AssertionError("no line with " + a + " and " + b + " in " + lines);
    }
}
