package org.spin.cli;

import java.io.PrintStream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.spin.train.EpochMetrics;
import org.spin.train.TrainingListener;

/**
 * Progress on stderr: a bar per epoch with loss, lr, img/s and ETA on a terminal; in a log (no
 * terminal) one line every ten seconds instead, so a long job is never silent.
 */
final class ConsoleProgress implements TrainingListener {

    private static final long LOG_EVERY_NANOS = 10_000_000_000L;

    private final PrintStream out = System.err;
    private final boolean terminal = System.console() != null;
    private final String label;
    private ProgressBar bar;
    private int steps;
    private int maxEpoch;
    private long lastLog;
    private long epochStart;
    private int startStep;
    private double lossEma = Double.NaN;

    ConsoleProgress(String label) {
        this.label = label;
    }

    @Override
    public void onEpochStart(int epoch, int maxEpoch, int steps, int startStep) {
        this.steps = steps;
        this.maxEpoch = maxEpoch;
        this.startStep = startStep;
        epochStart = System.nanoTime();
        lastLog = epochStart;
        if (terminal) {
            bar = new ProgressBarBuilder().setTaskName(label + " epoch " + (epoch + 1) + "/" + maxEpoch)
                    .setInitialMax(steps).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500)
                    .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(out)).build();
            bar.stepTo(startStep);
        }
    }

    @Override
    public void onStep(int epoch, int step, double loss, double lr, double imagesPerSecond) {
        lossEma = Double.isNaN(lossEma) ? loss : 0.95 * lossEma + 0.05 * loss;
        String msg = String.format("loss %.4f lr %.2e %.0f img/s", lossEma, lr, imagesPerSecond);
        if (bar != null) {
            bar.setExtraMessage(" " + msg);
            bar.stepTo(step + 1);
        } else if (System.nanoTime() - lastLog > LOG_EVERY_NANOS) {
            lastLog = System.nanoTime();
            double perStep = (lastLog - epochStart) / 1e9 / Math.max(1, step + 1 - startStep);
            long eta = Math.round(perStep * (steps - step - 1));
            out.printf("%s epoch %d/%d step %d/%d %s ETA %d:%02d%n", label, epoch + 1, maxEpoch, step + 1, steps,
                    msg, eta / 60, eta % 60);
        }
    }

    @Override
    public void onEpochEnd(int epoch, EpochMetrics m) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        String eval = m.eval() == null ? "" : String.format(" | test top-1 %.2f%% top-5 %.2f%% loss %.4f",
                100 * m.eval().top1(), 100 * m.eval().top5(), m.eval().loss());
        if (m.emaEval() != null) {
            eval += String.format(" | EMA top-1 %.2f%% top-5 %.2f%%", 100 * m.emaEval().top1(), 100 * m.emaEval().top5());
        }
        String unreadable = m.unreadableImages() == 0 ? "" : ", " + m.unreadableImages() + " unreadable image(s) replaced";
        out.printf("%s epoch %d: train loss %.4f, %.0f img/s, %.1f s%s%s%n", label, epoch + 1, m.trainLoss(),
                m.imagesPerSecond(), m.seconds(), unreadable, eval);
    }

    @Override
    public void onMessage(String message) {
        out.println(label + ": " + message);
    }
}
