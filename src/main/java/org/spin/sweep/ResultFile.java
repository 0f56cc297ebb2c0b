package org.spin.sweep;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.spin.io.AtomicFiles;

/**
 * A run's {@code result.json}: written by the run alone (no shared file, so shards never
 * contend), atomically, first as {@code running} and at the end as {@code done} or {@code failed}.
 * {@code spin report} reads them all.
 */
public final class ResultFile {

    public static final String NAME = "result.json";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().create();

    private ResultFile() {}

    public static Path of(Path runDir) {
        return runDir.resolve(NAME);
    }

    public static void write(Path runDir, Map<String, Object> result) {
        String json = GSON.toJson(result) + "\n";
        AtomicFiles.write(of(runDir), out -> out.write(json.getBytes(StandardCharsets.UTF_8)));
    }

    /** The run's status ({@code running}, {@code done}, {@code failed}), or null when it has no readable result. */
    public static String status(Path runDir) {
        JsonObject o = read(runDir);
        return o == null || !o.has("status") ? null : o.get("status").getAsString();
    }

    /** The run's recorded error, or null. */
    public static String error(Path runDir) {
        JsonObject o = read(runDir);
        return o == null || !o.has("error") || o.get("error").isJsonNull() ? null : o.get("error").getAsString();
    }

    static JsonObject read(Path runDir) {
        Path f = of(runDir);
        if (!Files.exists(f)) {
            return null;
        }
        try {
            return JsonParser.parseString(Files.readString(f)).getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            return null; // half-visible or foreign: treat as not finished
        }
    }
}
