package org.spin.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.spin.report.SweepReport;
import org.spin.sweep.RunStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "report", mixinStandardHelpOptions = true, description = "One HTML page for a sweep: SPIN-family figures, ablation tables per swept"
        + " sharing dimension, and a sortable table of every run.")
final class ReportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SWEEP_DIR", description = "Directory written by spin sweep (holds runs/*/result.json).")
    Path sweepDir;

    @Option(names = "--output", paramLabel = "DIR", description = "Where to write index.html and the PNGs (default: SWEEP_DIR/report);"
            + " an earlier report there is replaced.")
    Path output;

    @Override
    public Integer call() {
        Path out = output != null ? output : sweepDir.resolve("report");
        SweepReport.Written w = SweepReport.write(sweepDir, out);
        w.sweep().warnings().forEach(warning -> System.err.println("spin: warning: " + warning));
        var s = w.sweep();
        System.out.printf("wrote %s: %d runs (%d done, %d failed, %d running), %d figures, %d ablation tables%n",
                w.page(), s.runs().size(), s.count(RunStatus.DONE), s.count(RunStatus.FAILED),
                s.count(RunStatus.RUNNING), w.figures().size(), w.ablations().size());
        return 0;
    }
}
