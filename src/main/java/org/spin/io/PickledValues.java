package org.spin.io;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.spin.SpinException;

/**
 * Helpers for the Java objects razorvine produces from a pickle: Python-flavoured names for
 * error messages (users think in Python types), and a normalisation that turns razorvine's
 * {@code Object[]} tuples into lists so callers handle one sequence type.
 */
final class PickledValues {

    private PickledValues() {}

    /** The Python type of {@code value}, with an article, for messages like "'epoch' is an int". */
    static String describe(Object value) {
        if (value == null) {
            return "None";
        }
        if (value instanceof HostTensor t) {
            return "a tensor " + t.dtype() + " " + Arrays.toString(t.shape());
        }
        if (value instanceof String) {
            return "a str";
        }
        if (value instanceof Boolean) {
            return "a bool";
        }
        if (value instanceof Integer || value instanceof Long || value instanceof BigInteger) {
            return "an int";
        }
        if (value instanceof Double || value instanceof Float) {
            return "a float";
        }
        if (value instanceof Map) {
            return "a dict";
        }
        if (value instanceof List) {
            return "a list";
        }
        if (value instanceof Object[]) {
            return "a tuple";
        }
        if (value instanceof byte[]) {
            return "bytes";
        }
        if (value instanceof TorchStorage) {
            return "a bare storage";
        }
        return "a " + value.getClass().getSimpleName();
    }

    /**
     * Deepest nesting {@link #normalize} follows. A checkpoint nests a few levels; a pickle can
     * nest lists as deep as it is long, which would overflow the stack of a recursive copy.
     */
    static final int MAX_DEPTH = 1_000;

    /**
     * Copies a pickled object graph, turning tuples into lists and every dict into an ordered
     * map. Shared and even cyclic references (which pickle memo opcodes can build) stay shared.
     *
     * @throws SpinException naming {@code file} when the graph nests deeper than {@link #MAX_DEPTH}
     */
    static Object normalize(Object value, String file) {
        return normalize(value, new IdentityHashMap<>(), file, 0);
    }

    private static Object normalize(Object value, IdentityHashMap<Object, Object> done, String file, int depth) {
        if (depth > MAX_DEPTH) {
            throw new SpinException(file + ": checkpoint nests containers more than " + MAX_DEPTH
                    + " levels deep; expected a dict of tensors and plain values");
        }
        if (value instanceof Object[] || value instanceof List || value instanceof Map) {
            Object seen = done.get(value);
            if (seen != null) {
                return seen;
            }
        }
        if (value instanceof Object[] tuple) {
            List<Object> list = new ArrayList<>(tuple.length);
            done.put(value, list);
            for (Object item : tuple) {
                list.add(normalize(item, done, file, depth + 1));
            }
            return list;
        }
        if (value instanceof List<?> source) {
            List<Object> list = new ArrayList<>(source.size());
            done.put(value, list);
            for (Object item : source) {
                list.add(normalize(item, done, file, depth + 1));
            }
            return list;
        }
        if (value instanceof Map<?, ?> source) {
            Map<Object, Object> map = new LinkedHashMap<>();
            done.put(value, map);
            for (Map.Entry<?, ?> e : source.entrySet()) {
                map.put(normalize(e.getKey(), done, file, depth + 1), normalize(e.getValue(), done, file, depth + 1));
            }
            return map;
        }
        return value;
    }
}
