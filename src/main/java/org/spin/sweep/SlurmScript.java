package org.spin.sweep;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.spin.SpinException;

/**
 * The sbatch script of a sweep as a Slurm job array: {@code deploy/slurm/sweep.sbatch} (in the jar
 * as a resource) with its {@code @NAME@} placeholders filled in, one array task per shard.
 *
 * @param tasks array tasks (shards), at most one per run
 * @param mem   Slurm's {@code --mem}, e.g. {@code 8G}
 * @param time  Slurm's {@code --time}, e.g. {@code 1-00:00:00}
 */
public record SlurmScript(String name, Path sweepFile, Path output, Path repo, int tasks, int cpus, String mem,
                          String time) {

    private static final Pattern PLACEHOLDER = Pattern.compile("@([A-Z_]+)@");
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_./:+,=@%-]+");

    public SlurmScript {
        if (tasks < 1 || cpus < 1) {
            throw new SpinException("--emit-sbatch: --tasks " + tasks + " and --cpus-per-task " + cpus + " must be at least 1");
        }
        if (!mem.matches("\\d+[KMGT]?")) {
            throw new SpinException("--mem " + mem + " is not Slurm's memory size; expected e.g. 8G or 16000M");
        }
        if (!time.matches("(\\d+-)?\\d+(:\\d{2}){0,2}")) {
            throw new SpinException("--time " + time + " is not Slurm's time limit; expected e.g. 12:00:00 or 1-00:00:00");
        }
    }

    /** The filled-in script. */
    public String render() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("NAME", name.replaceAll("[^A-Za-z0-9_.-]", "_"));
        values.put("LAST_TASK", Integer.toString(tasks - 1));
        values.put("CPUS", Integer.toString(cpus));
        values.put("MEM", mem);
        values.put("TIME", time);
        values.put("OUTPUT", quote(output.toAbsolutePath().normalize()));
        values.put("REPO", quote(repo.toAbsolutePath().normalize()));
        values.put("SWEEP", quote(sweepFile.toAbsolutePath().normalize()));
        Matcher m = PLACEHOLDER.matcher(template());
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = values.get(m.group(1));
            if (v == null) {
                throw new IllegalStateException("sweep.sbatch: unknown placeholder " + m.group());
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** A path as one shell word; #SBATCH lines are not shell, so a path that needs quotes is refused. */
    private static String quote(Path p) {
        String s = p.toString();
        if (!SAFE.matcher(s).matches()) {
            throw new SpinException(s + ": a path with spaces or shell characters cannot go into #SBATCH lines;"
                    + " expected a plain path");
        }
        return s;
    }

    static String template() {
        try (InputStream in = SlurmScript.class.getResourceAsStream("/org/spin/deploy/sweep.sbatch")) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks org/spin/deploy/sweep.sbatch (deploy/slurm in the build)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
