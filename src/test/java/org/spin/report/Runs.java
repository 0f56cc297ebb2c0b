package org.spin.report;

import java.util.LinkedHashMap;
import java.util.Map;
import org.spin.sweep.RunResult;
import org.spin.sweep.RunStatus;

/** Builds {@link RunResult}s for tests: only settings, kind and top-1 matter to the computations. */
final class Runs {

    private Runs() {}

    /** A done run; {@code settings} alternate key, value. */
    static RunResult done(String name, double top1, boolean shared, Object... settings) {
        return new RunResult(name, RunStatus.DONE, null, map(settings), Map.of(), "convmixer", shared, false, null,
                1000L, 2000L, 5000L, top1, 0.99, top1, 1, 1.0, null);
    }

    /** A done fusion run (shared weights fused from a trained unshared model). */
    static RunResult fusion(String name, double top1, Object... settings) {
        return new RunResult(name, RunStatus.DONE, null, map(settings), Map.of(), "convmixer", true, true, "teacher",
                1000L, 2000L, 5000L, top1, 0.99, top1, 1, 1.0, null);
    }

    static RunResult failed(String name, Object... settings) {
        return new RunResult(name, RunStatus.FAILED, "boom", map(settings), Map.of(), "convmixer", true, false, null,
                null, null, null, null, null, null, 0, 0.5, null);
    }

    static Map<String, Object> map(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }
}
