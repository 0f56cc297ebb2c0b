package org.spin.cli;

import org.spin.SpinException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code spin} command line. Only this class exits the JVM. */
@Command(name = "spin", mixinStandardHelpOptions = true, version = "spin 0.1.0",
        description = "SPIN: cross-layer weight sharing for isotropic networks (ConvMixer, ViT, ConvNeXt) on DJL.",
        subcommands = {DemoCommand.class, ModelsCommand.class, DataCommand.class, TrainCommand.class, EvalCommand.class, StatsCommand.class,
                InferCommand.class, PredictCommand.class, FuseCommand.class, CompressCommand.class, ExportCommand.class, PlanCommand.class,
                SweepCommand.class, ReportCommand.class, AnalyzeCommand.class, BenchCommand.class, DoctorCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (tests call this). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setUnmatchedOptionsArePositionalParams(true);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            Throwable t = e;
            while (!(t instanceof SpinException) && t.getCause() != null) {
                t = t.getCause();
            }
            if (t instanceof SpinException) {
                System.err.println("spin: " + t.getMessage());
                return 2;
            }
            // A bug, not bad input: one line by default, the trace with SPIN_DEBUG=1.
            System.err.println("spin: internal error: " + e + " (run with SPIN_DEBUG=1 for the stack trace)");
            if (System.getenv("SPIN_DEBUG") != null) {
                e.printStackTrace();
            }
            return 1;
        });
        cli.setParameterExceptionHandler((e, a) -> {
            System.err.println("spin: " + e.getMessage() + " (see 'spin help " + e.getCommandLine().getCommandName() + "')");
            return 2;
        });
        return cli.execute(args);
    }
}
