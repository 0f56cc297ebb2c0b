package org.spin.train;

import java.math.BigDecimal;

/** Numbers of a recipe as a person writes them: {@code 0.0005} rather than {@code 5.0E-4}, {@code 300}. */
final class Numbers {

    private Numbers() {}

    static String text(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e9) {
            return String.valueOf((long) v);
        }
        return new BigDecimal(Float.toString((float) v)).stripTrailingZeros().toPlainString();
    }
}
