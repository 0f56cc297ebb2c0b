package org.spin.config;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The value types a config key can have. Values take the type of their key rather than the type
 * YAML guessed: the reference writes {@code 2e-5}, which a YAML 1.1 parser may hand over as a
 * string, and a yacs user writes {@code 1} where a float is meant. So coercion accepts any
 * spelling that means the right thing and rejects anything lossy (2.5 for an integer).
 */
public enum ConfigType {
    INT("an integer"),
    DOUBLE("a number"),
    BOOL("true or false"),
    STRING("a string"),
    INT_LIST("a list of integers"),
    DOUBLE_LIST("a list of numbers");

    private static final Pattern INTEGER = Pattern.compile("[-+]?\\d+");
    /**
     * Possessive and unambiguous: the earlier {@code \d+\.?\d*} could split a run of digits between
     * its two parts in every way, so 200,000 digits and a stray letter took two minutes to refuse.
     */
    private static final Pattern DECIMAL =
            Pattern.compile("[-+]?+(\\d++(\\.\\d*+)?+|\\.\\d++)([eE][-+]?+\\d++)?+");

    private final String expectation;

    ConfigType(String expectation) {
        this.expectation = expectation;
    }

    /** What a user should have written, for error messages ("expected a number"). */
    public String expectation() {
        return expectation;
    }

    boolean isList() {
        return this == INT_LIST || this == DOUBLE_LIST;
    }

    /**
     * Converts a non-null raw value (from YAML, JSON or Java) to this type's canonical Java form:
     * Integer, Double, Boolean, String or an unmodifiable List of Integer or Double.
     *
     * @throws InvalidValue if the value does not fit
     */
    Object coerce(Object raw) {
        return switch (this) {
            case INT -> toInt(raw, expectation);
            case DOUBLE -> toDouble(raw, expectation);
            case BOOL -> toBool(raw);
            case STRING -> toStr(raw);
            case INT_LIST -> toList(raw, true);
            case DOUBLE_LIST -> toList(raw, false);
        };
    }

    private static Integer toInt(Object raw, String expectation) {
        BigInteger big;
        if (raw instanceof Integer || raw instanceof Short || raw instanceof Byte || raw instanceof Long) {
            big = BigInteger.valueOf(((Number) raw).longValue());
        } else if (raw instanceof BigInteger b) {
            big = b;
        } else if (raw instanceof String s && INTEGER.matcher(s.strip()).matches()) {
            big = new BigInteger(s.strip());
        } else {
            throw new InvalidValue(expectation);
        }
        if (big.bitLength() > 31) {
            throw new InvalidValue(expectation + " between " + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE);
        }
        return big.intValue();
    }

    private static Double toDouble(Object raw, String expectation) {
        double d;
        if (raw instanceof Float f) {
            d = Double.parseDouble(f.toString()); // 0.1f means 0.1, not 0.10000000149
        } else if (raw instanceof BigDecimal b) {
            d = b.doubleValue();
        } else if (raw instanceof Number n && !(raw instanceof Double)) {
            d = n.doubleValue();
        } else if (raw instanceof Double x) {
            d = x;
        } else if (raw instanceof String s && DECIMAL.matcher(s.strip()).matches()) {
            d = Double.parseDouble(s.strip());
        } else {
            throw new InvalidValue(expectation);
        }
        if (!Double.isFinite(d)) {
            throw new InvalidValue("a finite number");
        }
        return d;
    }

    private static Boolean toBool(Object raw) {
        if (raw instanceof Boolean b) {
            return b;
        }
        if (raw instanceof String s) {
            if (s.strip().equalsIgnoreCase("true")) {
                return true;
            }
            if (s.strip().equalsIgnoreCase("false")) {
                return false;
            }
        }
        throw new InvalidValue(BOOL.expectation);
    }

    private static String toStr(Object raw) {
        if (raw instanceof String s) {
            return s;
        }
        // YAML turns `MODEL_NAME: 2` into a number; the user still meant the text.
        if (raw instanceof Number || raw instanceof Boolean) {
            return String.valueOf(raw);
        }
        throw new InvalidValue(STRING.expectation);
    }

    private static List<Object> toList(Object raw, boolean ints) {
        String expectation = ints ? INT_LIST.expectation : DOUBLE_LIST.expectation;
        List<?> items;
        if (raw instanceof Collection<?> c) {
            items = new ArrayList<>(c);
        } else if (raw != null && raw.getClass().isArray()) {
            int n = Array.getLength(raw);
            List<Object> copy = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                copy.add(Array.get(raw, i));
            }
            items = copy;
        } else if (raw instanceof String s && s.contains(",")) {
            // "0,0,1,1" is the natural way to type a list on a command line.
            items = List.of(s.split(",", -1));
        } else {
            throw new InvalidValue(expectation);
        }
        List<Object> out = new ArrayList<>(items.size());
        for (Object item : items) {
            if (item == null) {
                throw new InvalidValue(expectation);
            }
            if (ints) { // not a ?: expression, which would promote the Integer to a double
                out.add(toInt(item, expectation));
            } else {
                out.add(toDouble(item, expectation));
            }
        }
        return Collections.unmodifiableList(out);
    }
}
