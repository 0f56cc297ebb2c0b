package org.spin.report;

import java.util.Locale;

/** How the report spells numbers and settings, the same in the figures and the tables. */
final class Format {

    private Format() {}

    /** 33098 -> 33.1k, 17964288 -> 18.0M: parameter and FLOP counts span decades. */
    static String si(double v) {
        double a = Math.abs(v);
        if (a >= 1e9) {
            return trim(v / 1e9) + "G";
        }
        if (a >= 1e6) {
            return trim(v / 1e6) + "M";
        }
        if (a >= 1e3) {
            return trim(v / 1e3) + "k";
        }
        return trim(v);
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.0f" : "%.3g", v);
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    /** Accuracy as a fraction (0.8646) to percent with two decimals (86.46). */
    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.2f", 100 * fraction);
    }

    /** Top-1 as {@code 86.46 ± 0.12}, or just {@code 86.46} for a single seed. */
    static String percent(MeanStd m) {
        return m.hasSpread() ? percent(m.mean()) + " ± " + percent(m.std()) : percent(m.mean());
    }

    /** A difference in percentage points with its sign: {@code +0.25 ± 0.10}. */
    static String signedPoints(MeanStd m) {
        String mean = String.format(Locale.ROOT, "%+.2f", 100 * m.mean());
        return m.hasSpread() ? mean + " ± " + percent(m.std()) : mean;
    }

    static String grouped(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    /** A setting's value as the sweep spelled it; null is "none" (e.g. no reduction function). */
    static String setting(Object v) {
        if (v == null) {
            return "none";
        }
        if (v instanceof String s && s.isEmpty()) {
            return "(default)";
        }
        return String.valueOf(v);
    }

    /** {@code CONVMIXER.WEIGHT_SHARE.SHARE_RATE} -> {@code SHARE_RATE}; the full key goes in a tooltip. */
    static String shortKey(String key) {
        return key.substring(key.lastIndexOf('.') + 1);
    }
}
