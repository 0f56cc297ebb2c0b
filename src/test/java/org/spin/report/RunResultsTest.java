package org.spin.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spin.SpinException;
import org.spin.sweep.RunResult;
import org.spin.sweep.RunStatus;

class RunResultsTest {

    @TempDir
    Path tmp;

    private void result(String run, String json) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("runs").resolve(run));
        Files.writeString(dir.resolve("result.json"), json);
    }

    @Test
    void readsEveryRunOfTheSyntheticSweepDoneAndFailed() {
        int written = SyntheticSweep.write(tmp).size();
        Sweep sweep = RunResults.read(tmp);
        assertThat(sweep.runs()).hasSize(written);
        assertThat(sweep.warnings()).isEmpty();
        assertThat(sweep.count(RunStatus.FAILED)).isOne();
        RunResult failed = sweep.runs().stream().filter(r -> r.run().equals(SyntheticSweep.FAILED_RUN)).findFirst().orElseThrow();
        assertThat(failed.error()).isEqualTo(SyntheticSweep.FAILED_ERROR);
        assertThat(failed.top1()).isNull();
        assertThat(failed.measured()).isFalse();
    }

    @Test
    void theExampleOfTheContractReadsFieldByField() throws IOException {
        result("w64_d8_r2_sequential_s0", """
                { "run": "w64_d8_r2_sequential_s0", "status": "done", "error": null,
                  "settings": {"CONVMIXER.CHANNEL": 64, "CONVMIXER.DEPTH": 8, "CONVMIXER.WEIGHT_SHARE.SHARE_RATE": 2,
                               "CONVMIXER.WEIGHT_SHARE.SHARING_MAPPING": "sequential", "RNG_SEED": 0},
                  "config": {"CONVMIXER.CHANNEL": 64, "SOLVER.BASE_LR": 0.01, "CONVMIXER.WEIGHT_SHARE.REDUCTION_FN": null},
                  "arch": "convmixer", "shared": true, "fusion": false, "teacher": null,
                  "unique_params": 33098, "unshared_params": 49738, "macs": 8982144,
                  "top1": 0.8646, "top5": 0.998, "best_top1": 0.8646, "epochs": 1, "wall_seconds": 190.2 }
                """);
        RunResult r = RunResults.read(tmp).runs().get(0);
        assertThat(r.run()).isEqualTo("w64_d8_r2_sequential_s0");
        assertThat(r.status()).isEqualTo(RunStatus.DONE);
        assertThat(r.settings()).containsEntry("CONVMIXER.WEIGHT_SHARE.SHARE_RATE", 2L)
                .containsEntry("CONVMIXER.WEIGHT_SHARE.SHARING_MAPPING", "sequential").hasSize(5);
        assertThat(r.config()).containsEntry("SOLVER.BASE_LR", 0.01).containsEntry("CONVMIXER.WEIGHT_SHARE.REDUCTION_FN", null);
        assertThat(r.shared()).isTrue();
        assertThat(r.uniqueParams()).isEqualTo(33098L);
        assertThat(r.flops()).isEqualTo(2 * 8982144L);
        assertThat(r.top1()).isEqualTo(0.8646);
        assertThat(r.wallSeconds()).isEqualTo(190.2);
    }

    @Test
    void integralSettingsAreEqualHoweverTheyAreSpelled() throws IOException {
        result("a", "{\"run\": \"a\", \"status\": \"running\", \"settings\": {\"R\": 2.0}}");
        result("b", "{\"run\": \"b\", \"status\": \"running\", \"settings\": {\"R\": 2}}");
        Sweep sweep = RunResults.read(tmp);
        assertThat(sweep.runs().get(0).settings()).isEqualTo(sweep.runs().get(1).settings());
    }

    @Test
    void anUnreadableFileIsAOneLineWarningNamingItAndTheRestIsRead() throws IOException {
        result("good", "{\"run\": \"good\", \"status\": \"failed\", \"error\": \"out of memory\"}");
        result("truncated", "{\"run\": \"truncated\", \"status\": \"do");
        result("odd-status", "{\"run\": \"odd\", \"status\": \"finished\"}");
        result("bad-type", "{\"run\": \"bad\", \"status\": \"done\", \"top1\": \"high\"}");
        Sweep sweep = RunResults.read(tmp);

        assertThat(sweep.runs()).extracting(RunResult::run).containsExactly("good");
        assertThat(sweep.warnings()).hasSize(3).allSatisfy(w -> assertThat(w).doesNotContain("\n"));
        assertThat(sweep.warnings().get(0)).startsWith(tmp.resolve("runs/bad-type/result.json").toString()).contains("top1 is not a number");
        assertThat(sweep.warnings().get(1)).startsWith(tmp.resolve("runs/odd-status/result.json").toString())
                .contains("status is 'finished', expected done, failed or running");
        assertThat(sweep.warnings().get(2)).startsWith(tmp.resolve("runs/truncated/result.json").toString());
    }

    // Found by the fuzzer (ReadersFuzzTest): control characters of the file (here in a key Gson
    // names, and in a status) reached the warnings, and so the terminal.
    @Test
    void controlCharactersInAWarningAreEscaped() throws IOException {
        result("key", "{\"run\u000e\" 1}");
        result("status", "{\"status\": \"do\\u001bne\"}");
        Sweep sweep = RunResults.read(tmp);
        assertThat(sweep.warnings()).hasSize(2).allSatisfy(w -> assertThat(w).doesNotContain("\u000e", "\u001b"));
        assertThat(sweep.warnings().get(0)).contains("$.run\\u000e");
        assertThat(sweep.warnings().get(1)).contains("status is 'do\\u001bne'");
    }

    // A result.json larger than 2 GB would end the report with an OutOfMemoryError.
    @Test
    void aFileFarLargerThanAnyResultIsSkippedUnread() throws IOException {
        result("huge", "{\"status\": \"done\", \"pad\": \"" + " ".repeat(17 << 20) + "\"}");
        assertThat(RunResults.read(tmp).warnings()).singleElement().asString()
                .endsWith("bytes, larger than any result.json, skipped");
    }

    @Test
    void aRunWithoutANameIsNamedByItsDirectory() throws IOException {
        result("w64_s0", "{\"status\": \"running\"}");
        assertThat(RunResults.read(tmp).runs().get(0).run()).isEqualTo("w64_s0");
    }

    @Test
    void aRunDirectoryWithoutResultYetIsNotAWarning() throws IOException {
        Files.createDirectories(tmp.resolve("runs/just-started"));
        assertThat(RunResults.read(tmp).warnings()).isEmpty();
    }

    @Test
    void aMissingSweepDirectoryIsAnError() {
        assertThatThrownBy(() -> RunResults.read(tmp.resolve("nope"))).isInstanceOf(SpinException.class)
                .hasMessage(tmp.resolve("nope") + ": no such sweep directory");
    }
}
