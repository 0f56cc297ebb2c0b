package org.spin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.spin.sharing.SharingPlan;

/** {@code spin analyze} on a tiny ConvMixer trained for one epoch on the synthetic set. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnalyzeCliTest {

    Path tmp;
    Path weights;

    /** Trains once for every test: the run is the slow part. */
    @BeforeAll
    void train(@TempDir Path dir) {
        tmp = dir;
        Path run = tmp.resolve("run");
        CliTest.Outcome t = CliTest.run("train", "--epochs", "1", "--output", run.toString(), "--threads", "2",
                "TRAIN.DATASET", "synthetic", "CONVMIXER.CHANNEL", "16", "CONVMIXER.DEPTH", "4",
                "CONVMIXER.PATCH_KERNEL", "4", "CONVMIXER.PATCH_STRIDE", "4", "DATA.INPUT_CHANNEL_NUM", "[1]");
        assertThat(t.code()).as(t.err()).isZero();
        weights = run.resolve("last.safetensors");
    }

    @Test
    void writesTheReportAndPrintsAPlanThatParses() throws IOException {
        Path out = tmp.resolve("report");
        CliTest.Outcome o = CliTest.run("analyze", "--weights", weights.toString(), "--images", "32",
                "--output", out.toString(), "--threads", "2");
        assertThat(o.code()).as(o.err()).isZero();

        JsonObject json = JsonParser.parseString(Files.readString(out.resolve("analysis.json"))).getAsJsonObject();
        assertThat(json.get("images").getAsInt()).isEqualTo(32);
        var cka = json.getAsJsonArray("cka");
        assertThat(cka).hasSize(4);
        for (int i = 0; i < 4; i++) {
            assertThat(cka.get(i).getAsJsonArray().get(i).getAsDouble()).isEqualTo(1.0);
        }
        assertThat(json.getAsJsonArray("activation_norm")).hasSize(4);
        assertThat(json.getAsJsonObject("weight_cosine").keySet()).contains("pwise_w.*", "blocks.*.dwise_blk.0.weight");
        assertThat(json.getAsJsonObject("suggestion").get("slots").getAsInt()).isEqualTo(2);

        try (Stream<Path> files = Files.list(out)) {
            List<Path> pngs = files.filter(p -> p.toString().endsWith(".png")).toList();
            assertThat(pngs).extracting(p -> p.getFileName().toString())
                    .containsExactlyInAnyOrder("cka.png", "weights-pwise_w.png", "weights-dwise_blk.0.weight.png");
            for (Path png : pngs) {
                BufferedImage image = ImageIO.read(png.toFile());
                assertThat(image).as(png.toString()).isNotNull();
                assertThat(image.getWidth()).isGreaterThan(100);
            }
        }

        String planLine = o.out().lines().filter(l -> l.startsWith("CONVMIXER.WEIGHT_SHARE.PLAN: ")).findFirst()
                .orElseThrow(() -> new AssertionError(o.out()));
        SharingPlan plan = SharingPlan.parse(planLine.substring(planLine.indexOf(':') + 1));
        assertThat(plan.depth()).isEqualTo(4);
        assertThat(plan.numSlots()).isEqualTo(2);
        assertThat(o.out()).contains("CONVMIXER.WEIGHT_SHARE.GROUP_SIZES: [").contains("act norm");
    }

    @Test
    void writesBesideTheWeightsByDefault() {
        CliTest.Outcome o = CliTest.run("analyze", "--weights", weights.toString(), "--images", "8", "--threads", "2");
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(weights.resolveSibling("last-analysis").resolve("analysis.json")).exists();
    }

    @Test
    void missingWeightsAreAOneLineError() {
        Path missing = tmp.resolve("nope.safetensors");
        assertOneLineError(CliTest.run("analyze", "--weights", missing.toString()), missing.toString());
    }

    @Test
    void aShareRateBelowOneIsAnErrorAndWritesNothing() {
        Path out = tmp.resolve("rate0");
        assertOneLineError(CliTest.run("analyze", "--weights", weights.toString(), "--share-rate", "0", "--output",
                out.toString()), "--share-rate 0 must be at least 1");
        assertThat(out).doesNotExist();
    }

    @Test
    void fewerThanTwoImagesIsAnErrorAndWritesNothing() {
        Path out = tmp.resolve("one");
        assertOneLineError(CliTest.run("analyze", "--weights", weights.toString(), "--images", "1", "--output",
                out.toString()), "--images 1 must be at least 2");
        assertThat(out).doesNotExist();
    }

    @Test
    void moreImagesThanTheTestSplitIsAnErrorAndWritesNothing() {
        Path out = tmp.resolve("many");
        assertOneLineError(CliTest.run("analyze", "--weights", weights.toString(), "--images", "5000", "--output",
                out.toString()), "is more than the 1024 images");
        assertThat(out).doesNotExist();
    }

    @Test
    void aShareRateThatDoesNotDivideTheDepthIsAnError() {
        Path out = tmp.resolve("rate");
        assertOneLineError(CliTest.run("analyze", "--weights", weights.toString(), "--images", "8", "--share-rate", "3",
                "--output", out.toString()), "share rate 3 does not divide depth 4");
        assertThat(out).doesNotExist();
    }

    private static void assertOneLineError(CliTest.Outcome o, String fragment) {
        assertThat(o.code()).isNotZero();
        assertThat(o.err().strip()).contains(fragment).doesNotContain("\n").doesNotContain("Exception");
    }
}
