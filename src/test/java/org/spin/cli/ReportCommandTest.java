package org.spin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spin.cli.CliTest.Outcome;
import org.spin.report.SyntheticSweep;

/** {@code spin report} as a user meets it: what it says, one-line errors, no partial or clobbered output. */
class ReportCommandTest {

    @TempDir
    Path tmp;

    private static String[] names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
        }
    }

    private static void assertOneLineError(Outcome o, String message) {
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.out()).isEmpty();
        assertThat(o.err().strip()).isEqualTo("spin: " + message);
    }

    @Test
    void writesThePageAndItsFiguresAndSaysWhatItWrote() throws IOException {
        Path sweep = tmp.resolve("sweep");
        SyntheticSweep.write(sweep);
        Path out = tmp.resolve("out");
        Outcome o = CliTest.run("report", sweep.toString(), "--output", out.toString());

        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.err()).isEmpty();
        assertThat(o.out()).isEqualTo("wrote " + out.resolve("index.html")
                + ": 17 runs (16 done, 1 failed, 0 running), 2 figures, 2 ablation tables\n");
        assertThat(names(out)).containsExactly("family-flops.png", "family-params.png", "index.html", "summary.md");
        assertThat(names(tmp)).as("no temporary directory left beside the output").containsExactly("out", "sweep");
    }

    @Test
    void anUnreadableResultIsAWarningNamingTheFileAndTheReportStillWritten() throws IOException {
        Path sweep = tmp.resolve("sweep");
        SyntheticSweep.write(sweep);
        Path broken = Files.createDirectories(sweep.resolve("runs/broken")).resolve("result.json");
        Files.writeString(broken, "{\"run\": ");
        Outcome o = CliTest.run("report", sweep.toString());

        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.err().lines()).singleElement().asString().startsWith("spin: warning: " + broken + ": unreadable, skipped (");
        assertThat(sweep.resolve("report/index.html")).as("default output SWEEP_DIR/report").exists();
    }

    @Test
    void anEarlierReportIsReplaced() {
        Path sweep = tmp.resolve("sweep");
        SyntheticSweep.write(sweep);
        assertThat(CliTest.run("report", sweep.toString()).code()).isZero();
        Outcome again = CliTest.run("report", sweep.toString());
        assertThat(again.code()).as(again.err()).isZero();
    }

    @Test
    void aDirectoryHoldingOtherFilesIsNotReplaced() throws IOException {
        Path sweep = tmp.resolve("sweep");
        SyntheticSweep.write(sweep);
        Path precious = Files.createDirectories(tmp.resolve("home"));
        Files.writeString(precious.resolve("notes.txt"), "keep me");

        assertOneLineError(CliTest.run("report", sweep.toString(), "--output", precious.toString()),
                precious + ": exists and holds more than a report (notes.txt); choose another --output or remove it");
        assertThat(names(precious)).containsExactly("notes.txt");
    }

    @Test
    void aMissingSweepDirectoryIsAOneLineError() {
        Path missing = tmp.resolve("nope");
        assertOneLineError(CliTest.run("report", missing.toString()), missing + ": no such sweep directory");
    }

    @Test
    void aSweepWithoutResultsIsAOneLineErrorAndWritesNothing() throws IOException {
        Path sweep = Files.createDirectories(tmp.resolve("empty/runs/started"));
        Path root = sweep.getParent().getParent();
        assertOneLineError(CliTest.run("report", root.toString()), root + ": no results (no readable runs/*/result.json)");
        assertThat(root.resolve("report")).doesNotExist();
    }
}
