package org.spin.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntToDoubleFunction;
import org.spin.SpinException;
import org.spin.model.SpinModel;
import org.spin.runtime.Autograd;

/**
 * Data parallelism in one process, as the reference's DistributedDataParallel does it over its
 * GPUs: N copies of the model, replica 0 the one the optimizer updates. Each step every replica
 * runs forward and backward on its shard of the global batch at the same time, their gradients
 * are summed into replica 0's (each shard's loss is already weighted by its share of the batch,
 * so the sum is the whole batch's mean gradient), one update is applied, and replica 0's tensors,
 * running statistics included, are copied to the others, as DDP's {@code broadcast_buffers}
 * does. BatchNorm therefore normalises each shard by its own statistics, and the statistics that
 * count are replica 0's. Shared weights stay shared inside each replica: each is a whole model.
 */
public final class Replicas implements AutoCloseable {

    private final List<SpinModel> models;
    private final List<NDManager> managers;
    /** Per replica, its tensors in the master's state-dict order. */
    private final List<List<Parameter>> params = new ArrayList<>();
    private final List<NDArray[]> grads = new ArrayList<>();
    private final NDManager own;
    private final ExecutorService pool;

    /**
     * @param master   replica 0, whose tensors the optimizer updates and checkpoints save
     * @param others   replicas 1..N-1, built from the same config, each in its manager (on its device)
     * @param managers the managers of {@code others}, in order: their step scopes are made in them
     */
    public Replicas(SpinModel master, List<SpinModel> others, List<NDManager> managers) {
        if (others.size() != managers.size()) {
            throw new IllegalArgumentException(others.size() + " replicas but " + managers.size() + " managers");
        }
        this.models = new ArrayList<>(List.of(master));
        this.models.addAll(others);
        this.managers = new ArrayList<>();
        this.managers.add(null); // the master's step scope is the trainer's
        this.managers.addAll(managers);
        Map<String, Parameter> reference = master.stateDict();
        for (SpinModel m : models) {
            Map<String, Parameter> sd = m.stateDict();
            if (!sd.keySet().equals(reference.keySet())) {
                throw new IllegalArgumentException("a replica's state dict differs from the master's");
            }
            params.add(new ArrayList<>(sd.values()));
        }
        own = master.stateDict().values().iterator().next().getArray().getManager().newSubManager();
        pool = Executors.newFixedThreadPool(Math.max(1, others.size()), r -> {
            Thread t = new Thread(r, "spin-replica");
            t.setDaemon(true);
            return t;
        });
        broadcast();
    }

    public int size() {
        return models.size();
    }

    public SpinModel model(int replica) {
        return models.get(replica);
    }

    /** Where replica {@code replica}'s step arrays live (null for the master: the caller's scope). */
    public NDManager manager(int replica) {
        return managers.get(replica);
    }

    /** Seeds replicas 1..N-1's generators with seeds derived from {@code seed} (the trainer seeds the master). */
    public void reseed(long seed) {
        for (int r = 1; r < models.size(); r++) {
            models.get(r).reseed(seed * 0x9E3779B97F4A7C15L + r);
        }
    }

    /**
     * Runs {@code work} for every replica at once, the master's on this thread, and returns the
     * sum of what they return (their weighted losses), in replica order.
     */
    public double parallel(IntToDoubleFunction work) {
        List<Future<Double>> futures = new ArrayList<>();
        for (int r = 1; r < models.size(); r++) {
            int replica = r;
            futures.add(pool.submit(() -> work.applyAsDouble(replica)));
        }
        // every replica finishes before anything is thrown: their inputs are the caller's, freed after
        RuntimeException failure = null;
        double sum = 0;
        try {
            sum = work.applyAsDouble(0);
        } catch (RuntimeException e) {
            failure = e;
        }
        boolean interrupted = false;
        for (Future<Double> f : futures) {
            try {
                while (true) {
                    try {
                        sum += f.get();
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true; // still wait: a replica may be reading the caller's arrays
                    }
                }
            } catch (ExecutionException e) {
                if (failure == null) {
                    Throwable cause = e.getCause();
                    failure = cause instanceof RuntimeException re ? re
                            : new SpinException("a replica's step failed: " + cause, cause);
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw failure;
        }
        return sum;
    }

    /** Adds every replica's gradients into the master's, in replica order, and zeroes theirs. */
    public void gatherGradients() {
        NDArray[] master = gradients(0);
        try (NDManager scope = own.newSubManager(); Autograd.Scope off = Autograd.paused()) {
            for (int r = 1; r < models.size(); r++) {
                NDArray[] g = gradients(r);
                for (int i = 0; i < g.length; i++) {
                    if (g[i] == null) {
                        continue; // a frozen tensor
                    }
                    NDArray add = g[i].getDevice().equals(master[i].getDevice()) ? g[i]
                            : attached(g[i].toDevice(master[i].getDevice(), true), scope);
                    master[i].addi(add);
                    g[i].set(new NDIndex("..."), 0f);
                }
            }
        }
    }

    /** Copies the master's tensors, running statistics included, into every other replica. */
    public void broadcast() {
        try (NDManager scope = own.newSubManager(); Autograd.Scope off = Autograd.paused()) {
            List<Parameter> master = params.get(0);
            for (int r = 1; r < models.size(); r++) {
                List<Parameter> replica = params.get(r);
                for (int i = 0; i < master.size(); i++) {
                    NDArray src = master.get(i).getArray();
                    NDArray dst = replica.get(i).getArray();
                    NDArray value = src.getDevice().equals(dst.getDevice()) ? src
                            : attached(src.toDevice(dst.getDevice(), true), scope);
                    dst.set(new NDIndex("..."), value);
                }
            }
        }
    }

    private static NDArray attached(NDArray a, NDManager scope) {
        a.attach(scope);
        return a;
    }

    /** Replica {@code r}'s gradient tensors, fetched once (see {@link Optimizer}: fetching attaches a handle). */
    private NDArray[] gradients(int r) {
        while (grads.size() <= r) {
            grads.add(null);
        }
        if (grads.get(r) == null) {
            List<Parameter> ps = params.get(r);
            NDArray[] g = new NDArray[ps.size()];
            for (int i = 0; i < g.length; i++) {
                g[i] = ps.get(i).requiresGradient() ? ps.get(i).getArray().getGradient() : null;
                if (g[i] != null) {
                    g[i].attach(own);
                }
            }
            grads.set(r, g);
        }
        return grads.get(r);
    }

    @Override
    public void close() {
        pool.shutdownNow();
        own.close();
    }

    /** Closes this and the other replicas' managers, freeing their models. */
    public void closeAll() {
        close();
        for (NDManager m : managers) {
            if (m != null) {
                m.close();
            }
        }
    }
}
