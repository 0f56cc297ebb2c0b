package org.spin.config;

import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import org.spin.SpinException;

/**
 * Where a layer of values came from, so that every error names the input a user has to fix:
 * the YAML file, "override" (command-line KEY VALUE pairs) or "option" (a CLI flag).
 */
record Source(String name, boolean isDocument) {

    static final Source OVERRIDE = new Source("override", false);
    static final Source OPTION = new Source("option", false);
    static final Source JSON = new Source("config JSON", true);

    /**
     * Longest unknown key that still gets suggestions: far longer than any known key, and the
     * edit distances would cost its length times every known key.
     */
    private static final int MAX_SUGGESTED_KEY = 200;
    /** Deepest list nesting {@link #show} spells out; YAML aliases can make a list contain itself. */
    private static final int MAX_SHOWN_DEPTH = 4;

    static Source file(Path path) {
        return new Source(path.toString(), true);
    }

    static Source document(String name) {
        return new Source(name, true);
    }

    /** Prefix for an error about one key: "override SOLVER.BASE_LR" or "x.yaml: SOLVER.BASE_LR". */
    String at(String key) {
        return isDocument ? name + ": " + SpinException.excerpt(key) : name + " " + SpinException.excerpt(key);
    }

    /**
     * How a parsed value appears in "got ..." messages: at most an excerpt, however large the
     * value (an alias can repeat a long scalar thousands of times) and even if it contains itself.
     */
    static String show(Object value) {
        if (value == null) {
            return "an empty value";
        }
        if (value instanceof Map<?, ?>) {
            return "a mapping";
        }
        if (!(value instanceof Collection<?>)) {
            return SpinException.quoted(String.valueOf(value));
        }
        StringBuilder text = new StringBuilder();
        render(value, text, 0);
        return SpinException.quoted(text.length() <= SpinException.EXCERPT_CHARS ? text.toString()
                : text.substring(0, SpinException.EXCERPT_CHARS - 3) + "...");
    }

    /** Appends {@code value} as {@code toString} would, until the text is longer than an excerpt shows. */
    private static void render(Object value, StringBuilder out, int depth) {
        if (value instanceof Collection<?> items) {
            if (depth >= MAX_SHOWN_DEPTH) {
                out.append("[...]");
                return;
            }
            out.append('[');
            String separator = "";
            for (Object item : items) {
                if (out.length() > SpinException.EXCERPT_CHARS) {
                    break;
                }
                out.append(separator);
                render(item, out, depth + 1);
                separator = ", ";
            }
            out.append(']');
        } else if (value instanceof Map<?, ?>) {
            out.append("{...}");
        } else {
            String s = String.valueOf(value);
            out.append(s, 0, Math.min(s.length(), SpinException.EXCERPT_CHARS + 1));
        }
    }

    String unknownKey(String key, ConfigSchema schema) {
        String suggestion = key.length() > MAX_SUGGESTED_KEY ? ""
                : schema.didYouMean(key).map(s -> "; did you mean " + s + "?").orElse("");
        return name + ": unknown key " + SpinException.excerpt(key) + suggestion;
    }
}
