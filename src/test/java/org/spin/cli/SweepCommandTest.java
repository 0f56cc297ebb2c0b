package org.spin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spin.sweep.TinySweep;

/** {@code spin sweep} end to end on the synthetic set with tiny ConvMixers. */
class SweepCommandTest {

    @TempDir
    Path tmp;

    private static JsonObject result(Path sweep, String run) throws Exception {
        return JsonParser.parseString(Files.readString(sweep.resolve("runs").resolve(run).resolve("result.json")))
                .getAsJsonObject();
    }

    @Test
    void runsTeachersFirstRecordsFailuresAndSkipsFinishedRunsWhenRunAgain() throws Exception {
        Path file = tmp.resolve("tiny.yaml");
        Files.writeString(file, TinySweep.yaml(4));
        Path out = tmp.resolve("sweep");
        CliTest.Outcome dry = CliTest.run("sweep", file.toString(), "--output", out.toString(), "--dry-run");
        assertThat(dry.code()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("3 runs").contains("r2_fuse-mean").contains("teacher r1");
        assertThat(out).doesNotExist();

        CliTest.Outcome first = CliTest.run("sweep", file.toString(), "--output", out.toString(), "--threads", "2");
        assertThat(first.code()).as("a run failed").isEqualTo(3);
        assertThat(first.out().indexOf("[1/3] r1")).isLessThan(first.out().indexOf("[2/3] r2_fuse-mean"));
        // The sweep's time left comes from the runs trained so far: none before the first.
        assertThat(first.out().lines().filter(l -> l.contains(": training ")).toList()).satisfiesExactly(
                l -> assertThat(l).startsWith("[1/3] r1: training").doesNotContain("sweep: about"),
                l -> assertThat(l).startsWith("[2/3] r2_fuse-mean: training").matches(".*; sweep: about (<1m|\\d+m) left$"),
                l -> assertThat(l).startsWith("[3/3] kernel-4: training").contains("; sweep: about "));
        JsonObject teacher = result(out, "r1");
        assertThat(teacher.get("status").getAsString()).isEqualTo("done");
        assertThat(teacher.get("top1").getAsDouble()).isBetween(0.0, 1.0);
        assertThat(teacher.get("shared").getAsBoolean()).isFalse();
        JsonObject fused = result(out, "r2_fuse-mean");
        assertThat(fused.get("status").getAsString()).isEqualTo("done");
        assertThat(fused.get("teacher").getAsString()).isEqualTo("r1");
        assertThat(fused.get("fusion").getAsBoolean()).isTrue();
        assertThat(fused.get("unique_params").getAsLong()).isLessThan(teacher.get("unique_params").getAsLong());
        assertThat(fused.getAsJsonObject("config").get("TRAIN.CHECKPOINT_FILE_PATH").getAsString())
                .endsWith("r1" + java.io.File.separator + "last.safetensors");
        JsonObject bad = result(out, "kernel-4");
        assertThat(bad.get("status").getAsString()).isEqualTo("failed");
        assertThat(bad.get("error").getAsString()).contains("CONVMIXER.KERNEL 4 is even");

        // the report reads what the sweep wrote: every run in the table, the failed one with its error
        CliTest.Outcome report = CliTest.run("report", out.toString());
        assertThat(report.code()).as(report.err()).isZero();
        assertThat(report.out()).contains("3 runs (2 done, 1 failed, 0 running)");
        String page = Files.readString(out.resolve("report").resolve("index.html"));
        assertThat(page).contains("r2_fuse-mean").contains("kernel-4").contains("CONVMIXER.KERNEL 4 is even");

        CliTest.Outcome again = CliTest.run("sweep", file.toString(), "--output", out.toString(), "--threads", "2");
        assertThat(again.out()).contains("r1: done before, skipped").contains("r2_fuse-mean: done before, skipped")
                .contains("kernel-4: failed");
    }

    @Test
    void aShardRunsOnlyItsRuns() throws Exception {
        Path file = tmp.resolve("seeds.yaml");
        Files.writeString(file, "grid:\n  RNG_SEED: [0, 1, 2]\n");
        CliTest.Outcome o = CliTest.run("sweep", file.toString(), "--shard", "1/2", "--dry-run");
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out()).contains("3 runs, 1 on shard 1/2").contains("[shard 1] s1").contains("[shard 0] s2");
    }

    /** Two claiming workers (this process and a child) end every run once, the fusion run after its teacher. */
    @Test
    void claimingWorkersEndEveryRunOnce() throws Exception {
        Path file = tmp.resolve("claim.yaml");
        Files.writeString(file, TinySweep.yaml(5));
        Path out = tmp.resolve("out");
        CliTest.Outcome o = CliTest.run("sweep", file.toString(), "--output", out.toString(), "--workers", "2",
                "--threads", "2", "--heartbeat-seconds", "1", "--stale-seconds", "3");
        assertThat(o.code()).as(o.out() + o.err()).isZero();
        assertThat(o.out()).contains("worker 1: ").contains("2 workers ended (exit status 0)");
        for (String run : new String[] {"r1", "r2_fuse-mean", "kernel-5"}) {
            assertThat(result(out, run).get("status").getAsString()).isEqualTo("done");
            assertThat(o.out().lines().filter(l -> l.contains("] " + run + " (") && l.contains(": training "))).as(run)
                    .hasSize(1);
        }
        CliTest.Outcome refused = CliTest.run("sweep", file.toString(), "--claim", "--shard", "0/2");
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err().strip()).isEqualTo("spin: --claim takes runs as they come; it cannot be combined with --shard");
    }
}
