package org.spin.report;

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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.spin.SpinException;
import org.spin.sweep.ResultFile;

/**
 * Reads {@code SWEEP_DIR/runs/*}{@code /result.json}. A sweep is read while it runs and after
 * runs crashed, so a file that is missing, truncated or malformed costs a warning, not the report.
 */
public final class RunResults {

    private RunResults() {}

    /**
     * @throws SpinException if {@code sweepDir} is not a directory
     */
    public static Sweep read(Path sweepDir) {
        if (!Files.isDirectory(sweepDir)) {
            throw new SpinException(sweepDir + ": no such sweep directory");
        }
        Path runsDir = sweepDir.resolve("runs");
        List<RunResult> runs = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        if (Files.isDirectory(runsDir)) {
            List<Path> files;
            try (Stream<Path> dirs = Files.list(runsDir)) {
                files = dirs.filter(Files::isDirectory).map(ResultFile::of)
                        .filter(Files::exists).sorted().toList();
            } catch (IOException e) {
                throw new SpinException(runsDir + ": cannot list run directories: " + e.getMessage(), e);
            }
            for (Path file : files) {
                try {
                    if (Files.size(file) > ResultFile.MAX_BYTES) {
                        warnings.add(file + ": " + Files.size(file) + " bytes, larger than any result.json, skipped");
                        continue;
                    }
                    runs.add(parse(file, Files.readString(file, StandardCharsets.UTF_8)));
                } catch (IOException | RuntimeException e) {
                    warnings.add(file + ": unreadable, skipped (" + SpinException.firstLine(e) + ")");
                }
            }
        }
        runs.sort(Comparator.comparing(RunResult::run));
        return new Sweep(sweepDir, runs, warnings);
    }

    /** Parses one {@code result.json}; {@code file} names the run when the JSON does not. */
    static RunResult parse(Path file, String json) {
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
                intValue(o, "epochs"), doubleValue(o, "wall_seconds"));
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
