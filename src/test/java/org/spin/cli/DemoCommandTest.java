package org.spin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spin demo} end to end on the synthetic set with a small ConvMixer (the overrides any
 * command takes): the variants, then the fused model, its ONNX export and ONNX Runtime's top-1; and
 * a second run over the first, which trains everything anew.
 */
class DemoCommandTest {

    @TempDir
    Path tmp;

    @Test
    void endsWithTheFusedModelExportedAndMeasuredInOnnxRuntimeAndRunsAgainOverItself() throws Exception {
        Path out = tmp.resolve("demo");
        String[] args = {"demo", "--epochs", "1", "--output", out.toString(), "TRAIN.DATASET", "synthetic",
            "CONVMIXER.CHANNEL", "16", "CONVMIXER.DEPTH", "4"};
        for (int run = 1; run <= 2; run++) {
            CliTest.Outcome o = CliTest.run(args);
            assertThat(o.code()).as("run %d: %s", run, o.err()).isZero();
            String table = Files.readString(out.resolve("results.md"));
            List<String> rows = table.lines().filter(l -> l.startsWith("| ")).toList();
            String fused = row(rows, "| fused from the teacher at rate 2, fine-tuned |");
            String onnx = row(rows, "| the fused model in ONNX Runtime |");
            assertThat(row(rows, "| teacher: unshared |")).contains("last.safetensors");
            assertThat(fused).contains("compact.safetensors");
            assertThat(onnx).contains("fused-r2.onnx");
            // the exported file scores what the libtorch model it came from scores, on the same test split
            assertThat(top1(onnx)).isEqualTo(top1(fused));
            assertThat(Files.size(out.resolve("fused-r2.onnx"))).isPositive();
        }
    }

    private static String row(List<String> rows, String start) {
        return rows.stream().filter(r -> r.startsWith(start)).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + start + " in " + rows));
    }

    private static String top1(String row) {
        Matcher m = Pattern.compile("([0-9.]+)% \\|$").matcher(row);
        assertThat(m.find()).as(row).isTrue();
        return m.group(1);
    }
}
