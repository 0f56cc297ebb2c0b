package org.spin.data;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.spin.SpinException;

/**
 * The batches of one epoch, built ahead of time by background worker threads so the trainer
 * never waits on data.
 *
 * <p>Worker {@code k} of {@code W} builds steps {@code start+k, start+k+W, ...} into its own small
 * queue and the consumer takes from the queues round-robin. That keeps batch order fixed without
 * any reordering buffer, and bounds memory at {@value #QUEUE_PER_WORKER} batches per worker.
 * Because each batch is a pure function of its step, the result does not depend on how many
 * workers there are or how they are scheduled.
 *
 * <p>Close it when abandoning an epoch early (try-with-resources): that interrupts and joins the
 * workers. It closes itself after the last batch or when it rethrows a worker's exception.
 */
public final class EpochIterator implements Iterator<HostBatch>, AutoCloseable {

    static final int QUEUE_PER_WORKER = 2;
    private static final AtomicInteger IDS = new AtomicInteger();
    private static final long POLL_MILLIS = 100;
    private static final long JOIN_MILLIS = 10_000;

    private final int startStep;
    private final int endStep;
    private final List<BlockingQueue<Object>> queues = new ArrayList<>();
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean closed;
    private int next;

    /** A worker's exception, queued in place of the batch it was building. */
    private record Failure(Throwable error, int step) {}

    /**
     * Starts up to {@code workerCount} daemon threads producing steps {@code [startStep, endStep)}
     * with {@code producer}, which must be thread-safe.
     */
    EpochIterator(String name, int startStep, int endStep, int workerCount, IntFunction<HostBatch> producer) {
        if (workerCount < 1 || startStep < 0 || startStep > endStep) {
            throw new IllegalArgumentException("bad epoch range [" + startStep + ", " + endStep + ") with "
                    + workerCount + " workers");
        }
        this.startStep = startStep;
        this.endStep = endStep;
        this.next = startStep;
        int count = Math.min(workerCount, endStep - startStep);
        String prefix = name + "#" + IDS.incrementAndGet() + "-worker-";
        for (int k = 0; k < count; k++) {
            BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE_PER_WORKER);
            int first = startStep + k;
            Thread t = new Thread(() -> produce(first, count, queue, producer), prefix + k);
            t.setDaemon(true);
            queues.add(queue);
            workers.add(t);
        }
        workers.forEach(Thread::start);
    }

    private void produce(int first, int stride, BlockingQueue<Object> queue, IntFunction<HostBatch> producer) {
        try {
            for (int step = first; step < endStep && !closed; step += stride) {
                Object item;
                try {
                    item = producer.apply(step);
                } catch (Throwable t) {
                    item = new Failure(t, step);
                }
                queue.put(item);
                if (item instanceof Failure) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            // closed by the consumer: just stop
        }
    }

    @Override
    public boolean hasNext() {
        return !closed && next < endStep;
    }

    @Override
    public HostBatch next() {
        if (!hasNext()) {
            throw new NoSuchElementException(closed ? "epoch iterator is closed" : "epoch is over");
        }
        int slot = (next - startStep) % queues.size();
        Object item = take(queues.get(slot), workers.get(slot));
        if (item instanceof Failure f) {
            close();
            throw rethrowable(f);
        }
        next++;
        if (next == endStep) {
            close();
        }
        return (HostBatch) item;
    }

    private Object take(BlockingQueue<Object> queue, Thread worker) {
        try {
            while (true) {
                Object item = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (item != null) {
                    return item;
                }
                if (!worker.isAlive() && (item = queue.poll()) == null) {
                    close();
                    throw new IllegalStateException("data loader worker " + worker.getName()
                            + " ended without producing step " + next);
                }
                if (item != null) {
                    return item;
                }
            }
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for batch " + next, e);
        }
    }

    /** Keeps a {@link SpinException}'s one-line message, since the CLI prints exactly that. */
    private static RuntimeException rethrowable(Failure f) {
        Throwable t = f.error();
        if (t instanceof SpinException) {
            return new SpinException(t.getMessage(), t);
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("data loader worker failed building batch " + f.step() + ": " + t, t);
    }

    /** Stops and joins the workers; idempotent. Batches not yet taken are dropped. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        workers.forEach(Thread::interrupt);
        boolean interrupted = false;
        for (Thread t : workers) {
            if (t == Thread.currentThread()) {
                continue;
            }
            try {
                t.join(JOIN_MILLIS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        queues.forEach(BlockingQueue::clear);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The worker threads, for tests that check none is left running. */
    List<Thread> workerThreads() {
        return List.copyOf(workers);
    }
}
