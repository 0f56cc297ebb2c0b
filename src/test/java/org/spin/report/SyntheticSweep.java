package org.spin.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A sweep directory as {@code spin sweep} lays it out, with made-up results: two widths x
 * unshared/shared x two mappings x two seeds (16 done runs), plus one failed run. Shared runs
 * lose a point of accuracy, the strided mapping wins half a point back, width 128 gains four.
 */
public final class SyntheticSweep {

    public static final List<Integer> WIDTHS = List.of(64, 128);
    public static final List<String> MAPPINGS = List.of("sequential", "strided");
    public static final String FAILED_RUN = "w128_d8_r2_strided_s2";
    public static final String FAILED_ERROR = "loss is NaN at step 12 (lr 0.1 > 0.05 <max>)";

    private SyntheticSweep() {}

    /** Writes the sweep under {@code dir} and returns the names of all its runs. */
    public static List<String> write(Path dir) {
        List<String> names = new ArrayList<>();
        for (int width : WIDTHS) {
            for (int rate : List.of(1, 2)) {
                for (String mapping : MAPPINGS) {
                    for (int seed : List.of(0, 1)) {
                        String name = name(width, rate, mapping, seed);
                        double top1 = top1(width, rate, mapping, seed);
                        long unshared = params(width, 8);
                        long unique = rate == 1 ? unshared : params(width, 8 / rate); // as if rate 2 halved the blocks
                        long macs = 140L * width * width * 8;
                        write(dir, name, done(name, width, rate, mapping, seed, unique, unshared, macs, top1));
                        names.add(name);
                    }
                }
            }
        }
        write(dir, FAILED_RUN, String.format(Locale.ROOT, """
                {"run": "%s", "status": "failed", "error": "%s",
                 "settings": %s, "config": {}, "arch": "convmixer", "shared": true, "fusion": false, "teacher": null,
                 "unique_params": null, "unshared_params": null, "macs": null,
                 "top1": null, "top5": null, "best_top1": null, "epochs": 0, "wall_seconds": 3.5}
                """, FAILED_RUN, FAILED_ERROR, settings(128, 2, "strided", 2)));
        names.add(FAILED_RUN);
        return names;
    }

    public static String name(int width, int rate, String mapping, int seed) {
        return "w" + width + "_d8_r" + rate + "_" + mapping + "_s" + seed;
    }

    /** The made-up accuracy: a fixed effect per setting plus a small per-seed offset. */
    public static double top1(int width, int rate, String mapping, int seed) {
        double base = width == 128 ? 0.88 : 0.84;
        if (rate == 2) {
            base -= 0.01;
            if (mapping.equals("strided")) {
                base += 0.005;
            }
        }
        return base + 0.002 * seed;
    }

    /** ConvMixer-ish count: stem, depth blocks of depthwise and pointwise convolutions, head. */
    private static long params(int width, int blocks) {
        return 4L * width + blocks * (width * 9L + 2L * width + width * (long) width + 3L * width) + 10L * width + 10;
    }

    private static String settings(int width, int rate, String mapping, int seed) {
        return String.format(Locale.ROOT, "{\"CONVMIXER.CHANNEL\": %d, \"CONVMIXER.DEPTH\": 8, "
                + "\"CONVMIXER.WEIGHT_SHARE.SHARE_RATE\": %d, \"CONVMIXER.WEIGHT_SHARE.SHARING_MAPPING\": \"%s\", "
                + "\"RNG_SEED\": %d}", width, rate, mapping, seed);
    }

    private static String done(String name, int width, int rate, String mapping, int seed, long unique, long unshared,
            long macs, double top1) {
        return String.format(Locale.ROOT, """
                {"run": "%s", "status": "done", "error": null, "settings": %s,
                 "config": {"CONVMIXER.CHANNEL": %d, "CONVMIXER.DEPTH": 8, "TRAIN.DATASET": "synthetic"},
                 "arch": "convmixer", "shared": %b, "fusion": false, "teacher": null,
                 "unique_params": %d, "unshared_params": %d, "macs": %d,
                 "top1": %.4f, "top5": 0.998, "best_top1": %.4f, "epochs": 1, "wall_seconds": %.1f}
                """, name, settings(width, rate, mapping, seed), width, rate > 1, unique, unshared, macs, top1, top1,
                100.0 + width);
    }

    private static void write(Path sweep, String run, String json) {
        try {
            Path dir = Files.createDirectories(sweep.resolve("runs").resolve(run));
            Files.writeString(dir.resolve("result.json"), json, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
