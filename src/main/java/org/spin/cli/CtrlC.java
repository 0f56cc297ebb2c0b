package org.spin.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.spin.workflow.StopSignal;

/**
 * Ctrl-C during a workflow: the JVM's shutdown stops the running trainer at its next step, waits
 * for its checkpoint (so a killed run resumes where it stopped), then for the command's summary.
 */
final class CtrlC {

    private CtrlC() {}

    /**
     * Runs {@code work}, then {@code report} on its result (the command's output and exit code);
     * a Ctrl-C meanwhile raises {@code stop} and the shutdown waits up to two minutes for the
     * checkpoint and ten seconds for the report.
     */
    static <T> int guard(StopSignal stop, Supplier<T> work, Function<T, Integer> report) {
        CountDownLatch reported = new CountDownLatch(1);
        Thread onCtrlC = new Thread(() -> {
            stop.request();
            try {
                stop.awaitCheckpoint(120_000);
                reported.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(onCtrlC);
        try {
            T result = work.get();
            int code = report.apply(result);
            System.out.flush();
            return code;
        } finally {
            reported.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onCtrlC);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it waits for us
            }
        }
    }
}
