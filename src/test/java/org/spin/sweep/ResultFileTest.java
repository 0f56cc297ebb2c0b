package org.spin.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A result file that is not ours reads as "no result yet", never as a crash of the sweep. */
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
}
