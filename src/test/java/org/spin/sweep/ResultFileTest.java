package org.spin.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The result file's format round-trips; a file that is not ours reads as "no result yet", never as
 * a crash of the sweep.
 */
class ResultFileTest {

    @TempDir
    Path run;

    @Test
    void readsStatusAndError() throws Exception {
        Files.writeString(ResultFile.of(run), "{\"status\": \"failed\", \"error\": \"loss is NaN\"}");
        assertThat(ResultFile.status(run)).isEqualTo("failed");
        assertThat(ResultFile.error(run)).isEqualTo("loss is NaN");
    }

    // Found by the fuzzer (ReadersFuzzTest): a status or error that is no text (an object, null)
    // threw UnsupportedOperationException or IllegalStateException out of Gson.
    @Test
    void fieldsThatAreNotTextReadAsAbsent() throws Exception {
        Files.writeString(ResultFile.of(run), "{\"status\": {}, \"error\": []}");
        assertThat(ResultFile.status(run)).isNull();
        assertThat(ResultFile.error(run)).isNull();
        Files.writeString(ResultFile.of(run), "{\"status\": null, \"error\": {\"a\": 1}}");
        assertThat(ResultFile.status(run)).isNull();
        assertThat(ResultFile.error(run)).isNull();
    }

    @Test
    void aMissingOrForeignFileReadsAsNoResult() throws Exception {
        assertThat(ResultFile.status(run)).isNull();
        Files.writeString(ResultFile.of(run), "[1, 2]");
        assertThat(ResultFile.status(run)).isNull();
    }

    @Test
    void whatWriteWritesParseReadsBackFieldForField() throws Exception {
        java.util.Map<String, Object> settings = new java.util.LinkedHashMap<>();
        settings.put("CONVMIXER.CHANNEL", 64L);
        settings.put("SOLVER.BASE_LR", 0.01);
        settings.put("CONVMIXER.WEIGHT_SHARE.ENABLE", true);
        settings.put("CONVMIXER.WEIGHT_SHARE.REDUCTION_FN", null);
        settings.put("MODEL.ARCH", "convmixer");
        RunResult written = new RunResult("w64_s0", RunStatus.DONE, null, settings, java.util.Map.of("RNG_SEED", 3L),
                "convmixer", true, true, "teacher_run", 1000L, 2000L, 5000L, 0.875, 0.99, 0.9, 2, 12.5, 28);
        ResultFile.write(run, written);
        RunResult read = ResultFile.parse(ResultFile.of(run), Files.readString(ResultFile.of(run)));
        assertThat(read).isEqualTo(written);
        assertThat(ResultFile.status(run)).isEqualTo("done");
    }

    @Test
    void aRunWhoseModelCouldNotBeBuiltRecordsSharingAsUnknown() throws Exception {
        RunResult failed = new RunResult("bad", RunStatus.FAILED, "no such scope", java.util.Map.of(), java.util.Map.of(),
                "convmixer", false, false, null, null, null, null, null, null, null, null, 0.5, 28);
        ResultFile.write(run, failed);
        assertThat(Files.readString(ResultFile.of(run))).contains("\"shared\": null");
        assertThat(ResultFile.parse(ResultFile.of(run), Files.readString(ResultFile.of(run)))).isEqualTo(failed);
        assertThat(ResultFile.error(run)).isEqualTo("no such scope");
    }
}
