package org.spin.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Slurm side of a sweep: the shard an array task takes, and the sbatch script of a sweep. */
class SlurmScriptTest {

    @TempDir
    Path tmp;

    @Test
    void anArrayTaskTakesItsShardFromSlurmsVariables() {
        assertThat(SweepPlan.slurmShard(Map.of("SLURM_ARRAY_TASK_ID", "2", "SLURM_ARRAY_TASK_MIN", "0",
                "SLURM_ARRAY_TASK_COUNT", "4"))).containsExactly(2, 4);
        // an array from 1, and an older Slurm without the count
        assertThat(SweepPlan.slurmShard(Map.of("SLURM_ARRAY_TASK_ID", "5", "SLURM_ARRAY_TASK_MIN", "1",
                "SLURM_ARRAY_TASK_MAX", "6"))).containsExactly(4, 6);
        assertThatThrownBy(() -> SweepPlan.slurmShard(Map.of()))
                .hasMessage("--shard auto: SLURM_ARRAY_TASK_ID is not set, so this is not a Slurm array task; give --shard i/n");
        assertThatThrownBy(() -> SweepPlan.slurmShard(Map.of("SLURM_ARRAY_TASK_ID", "8", "SLURM_ARRAY_TASK_MIN", "0",
                "SLURM_ARRAY_TASK_COUNT", "4"))).hasMessageContaining("is not a task of a contiguous array");
    }

    @Test
    void theScriptIsTheTemplateFilledInAndValidBash() throws Exception {
        String script = new SlurmScript("fmnist sweep", Path.of("/data/sweeps/a.yaml"), Path.of("/shared/out"),
                Path.of("/opt/spin"), 6, 4, "16G", "12:00:00").render();
        assertThat(script).doesNotContain("@NAME@").doesNotContainPattern("@[A-Z_]+@")
                .contains("#SBATCH --job-name=spin-fmnist_sweep\n").contains("#SBATCH --array=0-5\n")
                .contains("#SBATCH --cpus-per-task=4\n").contains("#SBATCH --mem=16G\n").contains("#SBATCH --time=12:00:00\n")
                .contains("#SBATCH --requeue\n").contains("#SBATCH --output=/shared/out/slurm/%x-%A_%a.out\n")
                .contains("cd /opt/spin\nexec ./spin sweep /data/sweeps/a.yaml --output /shared/out --shard auto\n");
        // the template shipped in the jar is the repository's
        assertThat(SlurmScript.template()).isEqualTo(Files.readString(Path.of("deploy/slurm/sweep.sbatch")));
        Path file = tmp.resolve("s.sbatch");
        Files.writeString(file, script);
        Process bash = new ProcessBuilder("bash", "-n", file.toString()).redirectErrorStream(true).start();
        assertThat(bash.waitFor()).as(new String(bash.getInputStream().readAllBytes())).isZero();
    }

    @Test
    void settingsSlurmWouldRejectAreRefusedNamingTheOption() {
        assertThatThrownBy(() -> new SlurmScript("s", Path.of("/a.yaml"), Path.of("/o"), Path.of("/r"), 2, 2, "lots", "1:00:00"))
                .hasMessageStartingWith("--mem lots is not Slurm's memory size");
        assertThatThrownBy(() -> new SlurmScript("s", Path.of("/a.yaml"), Path.of("/o"), Path.of("/r"), 2, 2, "8G", "soon"))
                .hasMessageStartingWith("--time soon is not Slurm's time limit");
        assertThatThrownBy(() -> new SlurmScript("s", Path.of("/a b.yaml"), Path.of("/o"), Path.of("/r"), 2, 2, "8G", "1:00:00")
                .render()).hasMessageContaining("cannot go into #SBATCH lines");
    }
}
