package org.spin.sweep;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.spin.SpinException;
import org.spin.io.AtomicFiles;

/**
 * A run's {@code result.json}: written by the run alone (no shared file, so shards never
 * contend), atomically, first as {@code running} and at the end as {@code done} or {@code failed}.
 * {@code spin report} reads them all. This class owns the format: {@link #write} and {@link #parse}
 * are each other's inverse.
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

    /** Writes {@code r} as the run's result.json, atomically. */
    public static void write(Path runDir, RunResult r) {
        String json = GSON.toJson(toJson(r)) + "\n";
        AtomicFiles.write(of(runDir), out -> out.write(json.getBytes(StandardCharsets.UTF_8)));
    }

    /** The file's fields, in the order they are written; {@link #parse} reads them back. */
    static Map<String, Object> toJson(RunResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run", r.run());
        m.put("status", r.status().json());
        m.put("error", r.error());
        m.put("settings", r.settings());
        m.put("config", r.config());
        m.put("arch", r.arch());
        m.put("shared", r.uniqueParams() == null ? null : r.shared()); // unknown when the model could not be built
        m.put("fusion", r.fusion());
        m.put("teacher", r.teacher());
        m.put("unique_params", r.uniqueParams());
        m.put("unshared_params", r.unsharedParams());
        m.put("macs", r.macs());
        m.put("image_size", r.imageSize());
        m.put("top1", r.top1());
        m.put("top5", r.top5());
        m.put("best_top1", r.bestTop1());
        m.put("epochs", r.epochs());
        m.put("wall_seconds", r.wallSeconds());
        return m;
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

    /** Parses one {@code result.json}; {@code file} names the run when the JSON does not. */
    public static RunResult parse(Path file, String json) {
        JsonElement root = JsonParser.parseString(json);
        if (!root.isJsonObject()) {
            throw new JsonParseException("not a JSON object");
        }
        JsonObject o = root.getAsJsonObject();
        String statusText = string(o, "status");
        RunStatus status = RunStatus.parse(statusText)
                .orElseThrow(() -> new JsonParseException("status is "
                        + (statusText == null ? "missing" : SpinException.quoted(statusText))
                        + ", expected done, failed or running"));
        String run = string(o, "run");
        if (run == null) {
            run = file.getParent().getFileName().toString();
        }
        return new RunResult(run, status, string(o, "error"), flatMap(o, "settings"), flatMap(o, "config"),
                string(o, "arch"), bool(o, "shared"), bool(o, "fusion"), string(o, "teacher"),
                longValue(o, "unique_params"), longValue(o, "unshared_params"), longValue(o, "macs"),
                doubleValue(o, "top1"), doubleValue(o, "top5"), doubleValue(o, "best_top1"),
                intValue(o, "epochs"), doubleValue(o, "wall_seconds"), intValue(o, "image_size"));
    }

    private static JsonElement field(JsonObject o, String name) {
        JsonElement e = o.get(name);
        return e == null || e.isJsonNull() ? null : e;
    }

    private static JsonPrimitive primitive(JsonObject o, String name) {
        JsonElement e = field(o, name);
        if (e == null) {
            return null;
        }
        if (!e.isJsonPrimitive()) {
            throw new JsonParseException(name + " is not a string, number or boolean");
        }
        return e.getAsJsonPrimitive();
    }

    private static String string(JsonObject o, String name) {
        JsonPrimitive p = primitive(o, name);
        return p == null ? null : p.getAsString();
    }

    private static boolean bool(JsonObject o, String name) {
        JsonPrimitive p = primitive(o, name);
        if (p != null && !p.isBoolean()) {
            throw new JsonParseException(name + " is not true or false");
        }
        return p != null && p.getAsBoolean();
    }

    private static Number number(JsonObject o, String name) {
        JsonPrimitive p = primitive(o, name);
        if (p != null && !p.isNumber()) {
            throw new JsonParseException(name + " is not a number");
        }
        return p == null ? null : p.getAsNumber();
    }

    private static Long longValue(JsonObject o, String name) {
        Number n = number(o, name);
        return n == null ? null : n.longValue();
    }

    private static Integer intValue(JsonObject o, String name) {
        Number n = number(o, name);
        return n == null ? null : n.intValue();
    }

    private static Double doubleValue(JsonObject o, String name) {
        Number n = number(o, name);
        return n == null ? null : n.doubleValue();
    }

    private static Map<String, Object> flatMap(JsonObject o, String name) {
        JsonElement e = field(o, name);
        Map<String, Object> map = new LinkedHashMap<>();
        if (e == null) {
            return map;
        }
        if (!e.isJsonObject()) {
            throw new JsonParseException(name + " is not a JSON object");
        }
        for (Map.Entry<String, JsonElement> entry : e.getAsJsonObject().entrySet()) {
            map.put(entry.getKey(), value(entry.getValue()));
        }
        return map;
    }

    /**
     * A setting as a plain Java value. Integral numbers become {@link Long} whatever their JSON
     * spelling (2, 2.0), so equal settings compare equal; lists stay as their JSON text.
     */
    static Object value(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!e.isJsonPrimitive()) {
            return e.toString();
        }
        JsonPrimitive p = e.getAsJsonPrimitive();
        if (p.isBoolean()) {
            return p.getAsBoolean();
        }
        if (p.isString()) {
            return p.getAsString();
        }
        BigDecimal d = p.getAsBigDecimal();
        try {
            return d.stripTrailingZeros().scale() <= 0 ? (Object) d.longValueExact() : (Object) d.doubleValue();
        } catch (ArithmeticException tooBig) {
            return d.doubleValue();
        }
    }
}
