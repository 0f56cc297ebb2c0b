package org.spin.sweep;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
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
    /** Far more than any result we write (a few kilobytes); a larger file is foreign and not read into memory. */
    public static final long MAX_BYTES = 16L << 20;
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
        return text(read(runDir), "status");
    }

    /** The run's recorded error, or null. */
    public static String error(Path runDir) {
        return text(read(runDir), "error");
    }

    /** A string field, or null when it is missing or not text: a foreign file is read as unfinished, not as a crash. */
    private static String text(JsonObject o, String field) {
        JsonElement e = o == null ? null : o.get(field);
        return e != null && e.isJsonPrimitive() ? e.getAsString() : null;
    }

    static JsonObject read(Path runDir) {
        Path f = of(runDir);
        if (!Files.exists(f)) {
            return null;
        }
        try {
            if (Files.size(f) > MAX_BYTES) {
                return null;
            }
            return JsonParser.parseString(Files.readString(f)).getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            return null; // half-visible or foreign: treat as not finished
        }
    }
}
