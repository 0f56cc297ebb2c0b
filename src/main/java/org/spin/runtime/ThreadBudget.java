package org.spin.runtime;

import java.util.Map;
import java.util.OptionalInt;

/**
 * How many CPU threads this process may use, from what it was given rather than from the
 * machine's core count: under a batch scheduler or beside another shard, taking every core makes
 * OpenMP teams of two processes fight over the same cores (measured: two trainings side by side
 * did 5x less work together than one alone).
 *
 * <p>In order: {@code OMP_NUM_THREADS} (the user's explicit word to OpenMP programs), Slurm's
 * {@code SLURM_CPUS_PER_TASK}, then the processors the JVM may run on, which already honours the
 * CPU affinity mask ({@code taskset}, cpusets) and the cgroup CPU quota (containers).
 */
public record ThreadBudget(int threads, String source) {

    /** The budget of this process. */
    public static ThreadBudget detect() {
        return detect(System.getenv(), Runtime.getRuntime().availableProcessors());
    }

    static ThreadBudget detect(Map<String, String> env, int availableProcessors) {
        OptionalInt omp = positive(env.get("OMP_NUM_THREADS"));
        if (omp.isPresent()) {
            return new ThreadBudget(omp.getAsInt(), "OMP_NUM_THREADS");
        }
        OptionalInt slurm = positive(env.get("SLURM_CPUS_PER_TASK"));
        if (slurm.isPresent()) {
            return new ThreadBudget(Math.min(slurm.getAsInt(), availableProcessors), "SLURM_CPUS_PER_TASK");
        }
        return new ThreadBudget(Math.max(1, availableProcessors), "available processors (affinity, cgroup quota)");
    }

    /** A positive integer, or empty for anything else (unset, blank, "4,2" nested lists, garbage). */
    private static OptionalInt positive(String value) {
        if (value == null) {
            return OptionalInt.empty();
        }
        try {
            int n = Integer.parseInt(value.strip());
            return n > 0 ? OptionalInt.of(n) : OptionalInt.empty();
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }
}
