package org.spin.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.spin.SpinException;
import org.spin.config.SpinConfig;
import org.spin.data.EpochIterator;
import org.spin.data.HostBatch;
import org.spin.data.Loader;
import org.spin.io.CheckpointFormat;
import org.spin.model.ParameterCount;
import org.spin.model.SpinModel;

/**
 * The training loop of the reference's recipe: AdamW (or SGD), a learning rate per step,
 * label smoothing, global-norm clipping; evaluation and checkpoints every N epochs; resume.
 *
 * <p>Every step's arrays live in a sub-manager closed at the end of the step, so memory stays
 * flat however long the run. Randomness is a pure function of (seed, epoch, step): the data
 * loader's and the engine's (dropout), so a resumed run replays an uninterrupted one.
 */
public final class Trainer {

    private final Recipe recipe;
    /** What checkpoints and the run directory record. */
    private final RunRecord record;
    private final SpinModel model;
    private final NDManager manager;
    private final Loader train;
    private final Loader test;
    private final RunDirectory run;
    private final TrainingListener listener;
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);
    private Distillation distillation;
    private ModelEma ema;
    private Replicas replicas;
    private List<String> notices = List.of();

    public Trainer(Recipe recipe, RunRecord record, SpinModel model, NDManager manager, Loader train,
                   Loader test, RunDirectory run, TrainingListener listener) {
        this.recipe = recipe;
        this.record = record;
        this.model = model;
        this.manager = manager;
        this.train = train;
        this.test = test;
        this.run = run;
        this.listener = listener;
    }

    /** Distil from a teacher in every step (null: plain training). */
    public void distillFrom(Distillation distillation) {
        this.distillation = distillation;
    }

    /** Share every batch with data-parallel replicas of the model, the model being replica 0 (null: one device). */
    public void replicatedOn(Replicas replicas) {
        this.replicas = replicas;
    }

    /** Lines to say when training starts (after the checks a resume makes), before the recipe's own. */
    public void announcing(List<String> notices) {
        this.notices = List.copyOf(notices);
    }

    /** Keep a moving average of the weights, updated after every step (null: none). */
    public void averaging(ModelEma ema) {
        this.ema = ema;
    }

    /** Asks the loop to stop after the current step and write a checkpoint (Ctrl-C). */
    public void requestStop() {
        stopRequested.set(true);
    }

    /** Blocks until {@link #fit} has returned (its checkpoint written), or the timeout passes. */
    public boolean awaitFinished(long millis) throws InterruptedException {
        return finished.await(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /**
     * Trains to {@code SOLVER.MAX_EPOCH}.
     *
     * @param resume continue from the run directory's last checkpoint when there is one
     */
    public TrainingResult fit(boolean resume) {
        try (Optimizer optimizer = newOptimizer(recipe, model, manager)) {
            return loop(optimizer, resume);
        } finally {
            finished.countDown();
        }
    }

    private TrainingResult loop(Optimizer optimizer, boolean resume) {
        int maxEpoch = recipe.maxEpoch();
        int evalPeriod = recipe.evalPeriod();
        int ckptPeriod = recipe.checkpointPeriod();
        int ckptSteps = recipe.checkpointPeriodSteps();
        int nonFiniteLimit = recipe.nonFiniteGradLimit();
        long seed = recipe.seed();
        TrainStep trainStep = new TrainStep(model, manager, optimizer, recipe.labelSmoothing(), recipe.clipGradL2Norm(),
                distillation, recipe.accumSteps(), replicas);
        LrSchedule schedule = recipe.schedule();
        int steps = train.stepsPerEpoch();
        if (steps == 0) {
            throw new SpinException("TRAIN.BATCH_SIZE " + train.batchSize() + " is larger than the training set ("
                    + train.size() + " images)");
        }

        CheckpointFormat.Position pos = new CheckpointFormat.Position(0, 0);
        CheckpointFormat.Progress progress = CheckpointFormat.Progress.NONE;
        double best = Double.NaN;
        double bestEma = Double.NaN;
        Path last = CheckpointFormat.modelFile(run.path(), "last");
        if (resume && Files.exists(last)) {
            Checkpoints.Restored restored = Checkpoints.restore(run.path(), "last", model, optimizer, ema);
            Map<String, String> meta = restored.metadata();
            if (ema != null && !restored.emaRestored()) {
                ema.restart();
                listener.onMessage("the checkpoint holds no weight average; MODEL_EMA starts from its weights");
            }
            checkSameReduction(meta, last);
            pos = CheckpointFormat.position(meta, last);
            progress = CheckpointFormat.progress(meta, last);
            best = CheckpointFormat.bestTop1(meta);
            bestEma = bestEmaTop1(run.path());
            if (replicas != null) {
                replicas.broadcast(); // the replicas start from the restored weights too
            }
            listener.onMessage("resuming " + run.path() + " at epoch " + (pos.epoch() + 1) + ", step " + pos.step());
        }

        notices.forEach(listener::onMessage);
        List<String> plan = recipe.describe(model); // what the run will do: optimizer, batch, schedule
        listener.onMessage(plan.get(0));
        listener.onMessage(plan.get(1));

        // A resume replays the epochs after its checkpoint: drop their rows from an earlier attempt.
        run.keepMetricsUpTo(pos.epoch());
        run.writeHeader(record, model.plan().toString(), ParameterCount.unique(model), pos.epoch() > 0 || pos.step() > 0);

        EvalResult lastEval = null;
        long skipped = progress.skipped();
        int skippedInARow = progress.skippedInARow();
        double lastFiniteLoss = Double.NaN;
        String lastFiniteAt = "none yet";
        double trainSeconds = 0;
        long trainImages = 0;
        int epoch = pos.epoch();
        for (; epoch < maxEpoch; epoch++) {
            boolean resumedEpoch = epoch == pos.epoch();
            int startStep = resumedEpoch ? pos.step() : 0;
            listener.onEpochStart(epoch, maxEpoch, steps, startStep);
            // the loss of the steps before a mid-epoch checkpoint counts too, so the epoch's mean is the same
            double lossSum = resumedEpoch ? progress.epochLossSum() : 0;
            int lossCount = resumedEpoch ? progress.epochSteps() : 0;
            double lr = 0;
            long t0 = System.nanoTime();
            int images = 0;
            try (EpochIterator it = train.epoch(epoch, startStep)) {
                while (it.hasNext()) {
                    HostBatch b = it.next();
                    lr = schedule.at(epoch + (double) b.step() / steps);
                    model.reseed(stepSeed(seed, epoch, b.step()));
                    if (replicas != null) {
                        replicas.reseed(stepSeed(seed, epoch, b.step()));
                    }
                    long droppedBefore = optimizer.skippedSteps();
                    double loss = trainStep.run(b.images(), new Shape(b.size(), train.outputChannels(),
                            train.height(), train.width()), b.labels(), b.targets(), lr);
                    if (ema != null) {
                        // every step counts, as timm's (a skipped update leaves the weights, not the average)
                        ema.update((long) epoch * steps + b.step() + 1);
                    }
                    String here = "epoch " + (epoch + 1) + ", step " + b.step();
                    if (!Double.isFinite(loss)) {
                        // its update was dropped with its gradient; nothing is written, the last checkpoint stays
                        throw new SpinException("training diverged at " + here + ": the loss is " + loss
                                + " (last finite loss " + lastFiniteLoss + " at " + lastFiniteAt + "); "
                                + keptCheckpoint(last) + "; try a lower SOLVER.BASE_LR or set SOLVER.CLIP_GRAD_L2NORM");
                    }
                    lastFiniteLoss = loss;
                    lastFiniteAt = here;
                    if (optimizer.skippedSteps() > droppedBefore) {
                        skipped++;
                        skippedInARow++;
                        listener.onMessage(here + ": the gradient's norm is not finite; update skipped (" + skippedInARow
                                + " in a row, " + skipped + " in all)");
                        if (skippedInARow >= nonFiniteLimit) {
                            throw new SpinException("training stopped at " + here + ": " + skippedInARow + " updates in a"
                                    + " row had a non-finite gradient (SOLVER.NONFINITE_GRAD_LIMIT " + nonFiniteLimit
                                    + "); last loss " + loss + "; " + keptCheckpoint(last)
                                    + "; try a lower SOLVER.BASE_LR or set SOLVER.CLIP_GRAD_L2NORM");
                        }
                    } else {
                        skippedInARow = 0;
                    }
                    lossSum += loss;
                    lossCount++;
                    images += b.size();
                    double secs = (System.nanoTime() - t0) / 1e9;
                    listener.onStep(epoch, b.step(), loss, lr, images / secs);
                    boolean stopping = stopRequested.get();
                    boolean periodic = ckptSteps > 0 && (b.step() + 1) % ckptSteps == 0;
                    if ((stopping || periodic) && b.step() + 1 < steps) {
                        Checkpoints.save(run.path(), "last", model, optimizer, ema, Checkpoints.metadata(record, model,
                                new CheckpointFormat.Position(epoch, b.step() + 1), best,
                                new CheckpointFormat.Progress(lossSum, lossCount, skipped, skippedInARow)));
                        if (stopping) {
                            listener.onMessage("stopped; checkpoint written to " + last);
                            trainSeconds += (System.nanoTime() - t0) / 1e9;
                            return result(epoch, true, lastEval, best, trainSeconds, trainImages + images);
                        }
                    }
                }
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            trainSeconds += secs;
            trainImages += images;
            boolean lastEpoch = epoch + 1 == maxEpoch;
            CheckpointFormat.Progress atEnd = new CheckpointFormat.Progress(0, 0, skipped, skippedInARow);
            CheckpointFormat.Position next = new CheckpointFormat.Position(epoch + 1, 0);
            EvalResult eval = null;
            EvalResult emaEval = null;
            boolean stopping = stopRequested.get() && !lastEpoch;
            if (stopping) {
                // Ctrl-C: the checkpoint first, and no evaluation the schedule did not ask for.
                Checkpoints.save(run.path(), "last", model, optimizer, ema, Checkpoints.metadata(record, model, next, best, atEnd));
            }
            if ((epoch + 1) % evalPeriod == 0 || lastEpoch) {
                eval = Evaluator.evaluate(model, test, manager);
                lastEval = eval;
                if (Double.isNaN(best) || eval.top1() > best) {
                    best = eval.top1();
                    Checkpoints.save(run.path(), "best", model, null, Checkpoints.metadata(record, model, next, best));
                }
                if (ema != null) {
                    emaEval = Evaluator.evaluate(ema.average(), test, ema.manager()); // its device: the CPU with FORCE_CPU
                    if (Double.isNaN(bestEma) || emaEval.top1() > bestEma) {
                        bestEma = emaEval.top1();
                        Checkpoints.save(run.path(), Checkpoints.emaName("best"), ema.average(), null,
                                Checkpoints.metadata(record, ema.average(), next, bestEma));
                    }
                }
            }
            EpochMetrics m = new EpochMetrics(epoch, lossSum / Math.max(1, lossCount), lr, images / secs, secs, eval,
                    train.unreadable() + test.unreadable(), emaEval);
            run.appendMetrics(m);
            listener.onEpochEnd(epoch, m);
            if ((epoch + 1) % ckptPeriod == 0 || lastEpoch || stopping) {
                Checkpoints.save(run.path(), "last", model, optimizer, ema, Checkpoints.metadata(record, model, next, best, atEnd));
            }
            if (stopping) {
                listener.onMessage("stopped; checkpoint written to " + last);
                return result(epoch + 1, true, lastEval, best, trainSeconds, trainImages);
            }
        }
        return result(epoch, false, lastEval, best, trainSeconds, trainImages);
    }

    /** The top-1 of the best weight average so far, from its file (NaN when there is none yet). */
    private static double bestEmaTop1(Path runDir) {
        Path f = CheckpointFormat.modelFile(runDir, Checkpoints.emaName("best"));
        return Files.exists(f) ? CheckpointFormat.bestTop1(org.spin.io.SafeTensors.read(f).metadata()) : Double.NaN;
    }

    /** Which checkpoint a stopped run leaves for a resume, or that it has none yet. */
    private static String keptCheckpoint(Path last) {
        return Files.exists(last) ? "the last checkpoint, " + last + ", is kept" : "no checkpoint was written yet";
    }

    private TrainingResult result(int epochsDone, boolean stopped, EvalResult eval, double best, double secs, long images) {
        return new TrainingResult(run.path(), epochsDone, stopped, eval, best, secs, secs > 0 ? images / secs : 0,
                ParameterCount.unique(model));
    }

    /**
     * mean and choose_first fusion models have the same keys, so only the saved config tells a
     * resume that would silently switch the reduction.
     */
    private void checkSameReduction(Map<String, String> meta, Path file) {
        String key = record.reductionKey();
        String json = meta.get("config");
        String saved = json == null ? null : SpinConfig.fromJson(json).getString(key);
        String now = record.reduction();
        if (!Objects.equals(saved, now)) {
            throw new SpinException(file + ": saved with " + key + " " + (saved == null ? "None" : saved)
                    + " but the config gives " + (now == null ? "None" : now) + "; use another OUTPUT_DIR");
        }
    }

    /** The step of {@code recipe}: its label smoothing and gradient clipping. */
    public static TrainStep newStep(Recipe recipe, SpinModel model, NDManager manager, Optimizer optimizer) {
        return newStep(recipe, model, manager, optimizer, null);
    }

    /** As {@link #newStep(Recipe, SpinModel, NDManager, Optimizer)}, distilling from a teacher if given. */
    public static TrainStep newStep(Recipe recipe, SpinModel model, NDManager manager, Optimizer optimizer,
                                    Distillation distillation) {
        return new TrainStep(model, manager, optimizer, recipe.labelSmoothing(), recipe.clipGradL2Norm(), distillation,
                recipe.accumSteps(), null);
    }

    /** The recipe's optimizer over the model's trainable tensors, with its weight decay and decay groups. */
    public static Optimizer newOptimizer(Recipe recipe, SpinModel model, NDManager manager) {
        return recipe.optimizer().create(DecayGroups.slots(model, recipe.weightDecay(), recipe.zeroWd1d()), manager);
    }

    static long stepSeed(long seed, int epoch, int step) {
        long h = seed * 0x9E3779B97F4A7C15L + epoch * 0xC2B2AE3D27D4EB4FL + step;
        h ^= h >>> 31;
        return h & 0x7FFFFFFFL;
    }
}
