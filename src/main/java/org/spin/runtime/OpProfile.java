package org.spin.runtime;

import ai.djl.pytorch.jni.JniUtils;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.spin.SpinException;

/**
 * The engine's operator profiler (PyTorch's autograd profiler through DJL): a Chrome trace file
 * and a table of self time per operator, which is what tells where a step's time goes.
 */
public final class OpProfile {

    /** Self time of one operator name over the profiled region. */
    public record Row(String name, long calls, double selfMs) {}

    private OpProfile() {}

    public static void start() {
        JniUtils.startProfile(false, true, false);
    }

    /** Stops profiling and writes the Chrome trace to {@code trace}. */
    public static void stop(Path trace) {
        JniUtils.stopProfile(trace.toAbsolutePath().toString());
    }

    /**
     * Self time per operator: an event's duration minus that of the events nested in it on the
     * same thread, so nested aten calls are not counted twice.
     */
    public static List<Row> selfTimes(Path trace) {
        JsonArray events;
        try (Reader r = Files.newBufferedReader(trace)) {
            JsonElement root = JsonParser.parseReader(r);
            events = root.isJsonArray() ? root.getAsJsonArray() : root.getAsJsonObject().getAsJsonArray("traceEvents");
        } catch (IOException | RuntimeException e) {
            throw new SpinException("profile " + trace + ": not a readable Chrome trace (" + e.getMessage() + ")");
        }
        Map<String, List<double[]>> byThread = new HashMap<>();
        List<String> names = new ArrayList<>();
        for (JsonElement el : events) {
            JsonObject e = el.getAsJsonObject();
            if (!"X".equals(str(e, "ph")) || !e.has("dur")) {
                continue;
            }
            names.add(str(e, "name"));
            byThread.computeIfAbsent(str(e, "tid"), k -> new ArrayList<>())
                    .add(new double[] {e.get("ts").getAsDouble(), e.get("dur").getAsDouble(), names.size() - 1});
        }
        Map<String, double[]> acc = new HashMap<>(); // name -> {calls, self µs}
        for (List<double[]> evs : byThread.values()) {
            evs.sort(Comparator.<double[]>comparingDouble(v -> v[0]).thenComparingDouble(v -> -v[1]));
            Deque<double[]> open = new ArrayDeque<>(); // {end, index into evs}
            double[] self = new double[evs.size()];
            for (int i = 0; i < evs.size(); i++) {
                double[] ev = evs.get(i);
                while (!open.isEmpty() && open.peek()[0] <= ev[0]) {
                    open.pop();
                }
                self[i] = ev[1];
                if (!open.isEmpty()) {
                    self[(int) open.peek()[1]] -= ev[1];
                }
                open.push(new double[] {ev[0] + ev[1], i});
            }
            for (int i = 0; i < evs.size(); i++) {
                double[] a = acc.computeIfAbsent(names.get((int) evs.get(i)[2]), k -> new double[2]);
                a[0]++;
                a[1] += self[i];
            }
        }
        List<Row> rows = new ArrayList<>();
        acc.forEach((n, a) -> rows.add(new Row(n, (long) a[0], a[1] / 1000)));
        rows.sort(Comparator.comparingDouble(Row::selfMs).reversed());
        return rows;
    }

    private static String str(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? "" : e.getAsString();
    }
}
