package org.spin.analysis;

import com.google.gson.GsonBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.spin.io.AtomicDirectory;

/**
 * An analysis on disk: {@code analysis.json} with every number, {@code cka.png}, and one
 * {@code weights-<family>.png} per weight family. The directory appears complete or not at all:
 * it is written beside the target under a temporary name, then renamed.
 *
 * @param source what was analysed (the weights file), for the record
 * @param section the config section of the model's sharing keys, e.g. {@code CONVMIXER.WEIGHT_SHARE.}
 * @param shareRate the target rate the suggestion is for
 * @param suggested the best contiguous grouping at that rate
 * @param uniform the uniform sequential plan at that rate, scored the same way
 */
public record AnalysisReport(String source, LayerAnalysis analysis, String section, int shareRate,
                             PlanSuggestion suggested, PlanSuggestion uniform) {

    /** The config lines that pin the suggested plan, ready to paste into a config or a sweep. */
    public List<String> planLines() {
        return List.of(section + "ENABLE: true",
                section + "GROUP_SIZES: [" + join(suggested.groupSizes()) + "]",
                section + "PLAN: [" + suggested.plan() + "]");
    }

    /** The report's files, by name. */
    public Map<String, byte[]> files() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("analysis.json", json().getBytes(StandardCharsets.UTF_8));
        files.put("cka.png", Heatmaps.png("linear CKA between block outputs (" + analysis.images() + " images)",
                analysis.cka(), 0, 1));
        for (WeightCosine w : analysis.weights()) {
            files.put("weights-" + fileName(w.family()) + ".png", Heatmaps.png("cosine of " + w.family(), w.cosine(), -1, 1));
        }
        return files;
    }

    public String json() {
        Map<String, Object> suggestion = new LinkedHashMap<>();
        suggestion.put("share_rate", shareRate);
        suggestion.put("slots", suggested.groupSizes().length);
        suggestion.put("group_sizes", suggested.groupSizes());
        suggestion.put("plan", suggested.plan().toArray());
        suggestion.put("score", suggested.score());
        suggestion.put("uniform_score", uniform.score());
        suggestion.put("config", planLines());
        Map<String, Object> weights = new LinkedHashMap<>();
        for (WeightCosine w : analysis.weights()) {
            weights.put(w.family(), Map.of("scope", w.scope(), "cosine", w.cosine()));
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("source", source);
        root.put("images", analysis.images());
        root.put("depth", analysis.depth());
        root.put("cka", analysis.cka());
        root.put("activation_norm", analysis.activationNorm());
        root.put("activation_rms", analysis.activationRms());
        root.put("weight_cosine", weights);
        root.put("suggestion", suggestion);
        // NaN (a constant layer's CKA, an all-zero weight's cosine) is written as NaN rather than failing the report
        return new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(root);
    }

    /** Writes the report into {@code dir}, replacing a previous one there; nothing appears on failure. */
    public void write(Path dir) {
        AtomicDirectory.write(dir, tmp -> {
            for (Map.Entry<String, byte[]> f : files().entrySet()) {
                Files.write(tmp.resolve(f.getKey()), f.getValue());
            }
        });
    }

    /** {@code blocks.*.attn.qkv.weight} → {@code attn.qkv.weight}: the family without its layer prefix. */
    static String fileName(String family) {
        String name = family.replace("blocks.*.", "").replace(".*", "").replace("*", "");
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static String join(int[] xs) {
        return String.join(",", Arrays.stream(xs).mapToObj(Integer::toString).toList());
    }
}
