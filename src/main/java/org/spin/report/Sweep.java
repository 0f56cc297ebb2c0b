package org.spin.report;

import java.nio.file.Path;
import java.util.List;
import org.spin.sweep.RunResult;
import org.spin.sweep.RunStatus;

/**
 * The runs of a sweep directory that could be read, sorted by name, and one warning per
 * {@code result.json} that could not (naming the file), for the caller to show.
 */
public record Sweep(Path dir, List<RunResult> runs, List<String> warnings) {

    public Sweep {
        runs = List.copyOf(runs);
        warnings = List.copyOf(warnings);
    }

    public long count(RunStatus status) {
        return runs.stream().filter(r -> r.status() == status).count();
    }

    /** The sweep directory's name, for titles. */
    public String name() {
        Path name = dir.toAbsolutePath().normalize().getFileName();
        return name == null ? "sweep" : name.toString();
    }

    /** {@code 17 runs: 16 done, 1 failed, 0 running}. */
    public String counts() {
        return runs.size() + " runs: " + count(RunStatus.DONE) + " done, " + count(RunStatus.FAILED) + " failed, "
                + count(RunStatus.RUNNING) + " running";
    }
}
