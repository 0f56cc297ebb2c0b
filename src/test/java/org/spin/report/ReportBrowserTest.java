package org.spin.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report as a person sees it: rendered by headless Chromium (Debian's {@code chromium}
 * package), not parsed as text. The page writes each image's decoded size into
 * {@code data-natural} on load, so the DOM dump shows whether the figures decoded. Also leaves
 * {@code target/report-screenshot.png} and {@code target/report-example/} for people to look at.
 */
class ReportBrowserTest {

    private static final Path TARGET = Path.of("target");
    private static final long BROWSER_TIMEOUT_SECONDS = 60;

    @TempDir
    static Path tmp;

    static Path chromium;
    static List<String> runs;
    static Path page;

    @BeforeAll
    static void writeReport() {
        chromium = onPath("chromium").orElse(null);
        Assumptions.assumeTrue(chromium != null,
                "chromium is not on PATH (Debian: apt-get install chromium); skipping the browser test");
        Path sweep = tmp.resolve("synthetic-sweep");
        runs = SyntheticSweep.write(sweep);
        page = SweepReport.write(sweep, tmp.resolve("report")).page();
    }

    @Test
    void everyFigureDecodesAndTheRunTableHoldsEveryRunSortedByTheAddress() throws Exception {
        String dom = chromium(List.of("--virtual-time-budget=5000", "--dump-dom", page.toUri() + "#sort=top1:desc"));

        assertThat(dom).contains("data-images-checked=\"2\"");
        List<String> naturals = all(Pattern.compile("<img[^>]*\\bdata-natural=\"([0-9]+x[0-9]+)\""), dom);
        assertThat(naturals).as("decoded size of each figure").hasSize(2)
                .allMatch(n -> n.equals(FamilyFigure.WIDTH + "x" + FamilyFigure.HEIGHT));

        List<String> rows = all(Pattern.compile("<tr data-run=\"([^\"]+)\""), dom);
        assertThat(rows).containsExactlyInAnyOrderElementsOf(runs);
        // #sort=top1:desc sorted it in the browser: best first, the failed run (no top-1) last.
        assertThat(rows.get(0)).isIn(SyntheticSweep.name(128, 1, "sequential", 1), SyntheticSweep.name(128, 1, "strided", 1));
        assertThat(rows.get(rows.size() - 1)).isEqualTo(SyntheticSweep.FAILED_RUN);
        assertThat(dom).contains("<tr data-run=\"" + SyntheticSweep.FAILED_RUN + "\" data-status=\"failed\"")
                .contains(SyntheticSweep.FAILED_ERROR.replace("<", "&lt;").replace(">", "&gt;"));

        assertThat(dom).contains("id=\"ablation-sharing_mapping\"").contains("id=\"ablation-share_rate\"");
    }

    @Test
    void aScreenshotIsLeftInTargetForPeopleToLookAt() throws Exception {
        Files.createDirectories(TARGET);
        Path shot = TARGET.resolve("report-screenshot.png").toAbsolutePath();
        Files.deleteIfExists(shot);
        chromium(List.of("--screenshot=" + shot, "--window-size=1280,2000", "--hide-scrollbars", page.toUri().toString()));

        byte[] png = Files.readAllBytes(shot);
        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
        copyReportTo(TARGET.resolve("report-example"));
    }

    /** Runs headless Chromium on the page with a throwaway profile; returns its standard output. */
    private static String chromium(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--user-data-dir=" + Files.createTempDirectory(tmp, "profile")));
        command.addAll(args);
        Path stdout = Files.createTempFile(tmp, "chromium", ".out");
        Path stderr = Files.createTempFile(tmp, "chromium", ".err");
        Process p = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!p.waitFor(BROWSER_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish in " + BROWSER_TIMEOUT_SECONDS + " s: " + command);
        }
        assertThat(p.exitValue()).as("chromium exit code; stderr:%n%s", Files.readString(stderr)).isZero();
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    private static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return Stream.of(path.split(File.pathSeparator)).map(dir -> Path.of(dir, name))
                .filter(Files::isExecutable).findFirst();
    }

    private static List<String> all(Pattern pattern, String text) {
        List<String> found = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    private static void copyReportTo(Path dest) throws IOException {
        Files.createDirectories(dest);
        try (Stream<Path> files = Files.list(page.getParent())) {
            for (Path f : files.toList()) {
                Files.copy(f, dest.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
