package org.spin.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.spin.SpinException;
import org.spin.sweep.ResultFile;
import org.spin.sweep.RunResult;
import org.spin.sweep.RunStatus;

/**
 * Reads {@code SWEEP_DIR/runs/*}{@code /result.json} ({@link ResultFile} parses each). A sweep is read while it runs and after
 * runs crashed, so a file that is missing, truncated or malformed costs a warning, not the report.
 */
public final class RunResults {

    private RunResults() {}

    /**
     * @throws SpinException if {@code sweepDir} is not a directory
     */
    public static Sweep read(Path sweepDir) {
        if (!Files.isDirectory(sweepDir)) {
            throw new SpinException(sweepDir + ": no such sweep directory");
        }
        Path runsDir = sweepDir.resolve("runs");
        List<RunResult> runs = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        if (Files.isDirectory(runsDir)) {
            List<Path> files;
            try (Stream<Path> dirs = Files.list(runsDir)) {
                files = dirs.filter(Files::isDirectory).map(ResultFile::of)
                        .filter(Files::exists).sorted().toList();
            } catch (IOException e) {
                throw new SpinException(runsDir + ": cannot list run directories: " + e.getMessage(), e);
            }
            for (Path file : files) {
                try {
                    if (Files.size(file) > ResultFile.MAX_BYTES) {
                        warnings.add(file + ": " + Files.size(file) + " bytes, larger than any result.json, skipped");
                        continue;
                    }
                    runs.add(ResultFile.parse(file, Files.readString(file, StandardCharsets.UTF_8)));
                } catch (IOException | RuntimeException e) {
                    warnings.add(file + ": unreadable, skipped (" + SpinException.firstLine(e) + ")");
                }
            }
        }
        runs.sort(Comparator.comparing(RunResult::run));
        return new Sweep(sweepDir, runs, warnings);
    }
}
