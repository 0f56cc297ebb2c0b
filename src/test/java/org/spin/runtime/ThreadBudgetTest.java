package org.spin.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreadBudgetTest {

    @Test
    void openMpsOwnVariableWinsThenSlurmsThenWhatTheJvmMayRunOn() {
        assertThat(ThreadBudget.detect(Map.of("OMP_NUM_THREADS", "3", "SLURM_CPUS_PER_TASK", "8"), 16))
                .isEqualTo(new ThreadBudget(3, "OMP_NUM_THREADS"));
        assertThat(ThreadBudget.detect(Map.of("SLURM_CPUS_PER_TASK", "4"), 16))
                .isEqualTo(new ThreadBudget(4, "SLURM_CPUS_PER_TASK"));
        // a Slurm allocation larger than the cpuset the job actually got: the cpuset wins
        assertThat(ThreadBudget.detect(Map.of("SLURM_CPUS_PER_TASK", "8"), 2).threads()).isEqualTo(2);
        assertThat(ThreadBudget.detect(Map.of(), 6)).isEqualTo(new ThreadBudget(6, "available processors (affinity, cgroup quota)"));
    }

    @Test
    void valuesThatAreNotAPositiveCountAreIgnored() {
        for (String bad : new String[] {"", "0", "-2", "4,2", "four"}) {
            assertThat(ThreadBudget.detect(Map.of("OMP_NUM_THREADS", bad), 5).threads()).as(bad).isEqualTo(5);
        }
    }

    @Test
    void thisProcessGetsAtLeastOneThreadAndNoMoreThanItMayUse() {
        ThreadBudget b = ThreadBudget.detect();
        assertThat(b.threads()).isBetween(1, Math.max(Runtime.getRuntime().availableProcessors(),
                b.source().equals("OMP_NUM_THREADS") ? b.threads() : 1));
    }
}
