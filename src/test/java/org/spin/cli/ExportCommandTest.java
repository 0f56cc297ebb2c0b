package org.spin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spin.predict.TestImages;
import org.spin.predict.TinyCheckpoints;

/** {@code spin export} and {@code spin predict --engine onnxruntime}: the exported file answers as the checkpoint does. */
class ExportCommandTest {

    @TempDir
    Path tmp;

    @Test
    void onnxRuntimePredictsWhatTheCheckpointPredicts() throws Exception {
        Path weights = TinyCheckpoints.write(tmp, "best", "fashion_mnist", 1);
        Path onnx = tmp.resolve("model.onnx");
        CliTest.Outcome export = CliTest.run("export", "--weights", weights.toString(), "--output", onnx.toString());
        assertThat(export.code()).as(export.err()).isZero();
        assertThat(export.out()).startsWith("exported " + weights + " -> " + onnx + ": ")
                .contains("unique parameters").contains("unshared model: ");
        assertThat(Files.size(onnx)).isPositive();

        Path gray = TestImages.gray(tmp.resolve("a.png"), TestImages.randomGray(28, 28, 1));
        Path rgb = TestImages.rgb(tmp.resolve("b.jpg"), TestImages.randomRgb(64, 48, 2)); // shrunk by area
        Path small = TestImages.rgb(tmp.resolve("c.png"), TestImages.randomRgb(20, 13, 3)); // enlarged bilinearly
        String[] images = {gray.toString(), rgb.toString(), small.toString()};
        CliTest.Outcome torch = CliTest.run(concat(new String[] {"predict", "--weights", weights.toString()}, images));
        CliTest.Outcome ort = CliTest.run(concat(new String[] {"predict", "--engine", "onnxruntime", "--weights",
                onnx.toString()}, images));
        assertThat(ort.code()).as(ort.err()).isZero();
        assertThat(torch.code()).as(torch.err()).isZero();
        assertThat(ort.out()).isEqualTo(torch.out()).contains("  Trouser");
    }

    @Test
    void badInputIsOneLineAndLeavesNoFile() throws Exception {
        Path weights = TinyCheckpoints.write(tmp, "best", "fashion_mnist", 1);
        CliTest.Outcome unknown = CliTest.run("export", "--format", "tflite", "--weights", weights.toString(), "--output",
                tmp.resolve("m.tflite").toString());
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err().strip()).isEqualTo("spin: --format tflite is not known; expected onnx or djl-serving");
        assertThat(tmp.resolve("m.tflite")).doesNotExist();

        Path missing = tmp.resolve("missing.safetensors");
        CliTest.Outcome gone = CliTest.run("export", "--weights", missing.toString(), "--output",
                tmp.resolve("x.onnx").toString());
        assertThat(gone.code()).isEqualTo(2);
        assertThat(gone.err().strip()).startsWith("spin: " + missing).doesNotContain("\n");
        assertThat(tmp.resolve("x.onnx")).doesNotExist();

        CliTest.Outcome notOnnx = CliTest.run("predict", "--engine", "onnxruntime", "--weights", weights.toString(),
                tmp.resolve("a.png").toString());
        assertThat(notOnnx.code()).isEqualTo(2);
        assertThat(notOnnx.err().strip()).startsWith("spin: " + weights + ": ONNX Runtime cannot load it")
                .doesNotContain("\n");

        CliTest.Outcome engine = CliTest.run("predict", "--engine", "tensorrt", "--weights", weights.toString(),
                tmp.resolve("a.png").toString());
        assertThat(engine.err().strip()).isEqualTo("spin: --engine tensorrt is not known; expected pytorch or onnxruntime");
    }

    @Test
    void aDjlServingDirectoryIsWrittenFromTheCommandLine() throws Exception {
        Path weights = TinyCheckpoints.write(tmp, "best", "fashion_mnist", 1);
        Path dir = tmp.resolve("serving");
        CliTest.Outcome o = CliTest.run("export", "--format", "djl-serving", "--weights", weights.toString(), "--output",
                dir.toString());
        // the test JVM runs from target/classes, not from a jar: the package needs our jar, so it is refused
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err().strip()).startsWith("spin: ").doesNotContain("\n");
        assertThat(dir).doesNotExist();

        CliTest.Outcome options = CliTest.run("export", "--format", "djl-serving", "--weights", weights.toString(),
                "--output", dir.toString(), "--share-rate", "2");
        assertThat(options.code()).isEqualTo(2);
        assertThat(options.err().strip()).isEqualTo("spin: export --format djl-serving packages the checkpoint as it is,"
                + " with its own config; --cfg, --model, --share-rate and KEY VALUE overrides do not apply");
        assertThat(dir).doesNotExist();
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
