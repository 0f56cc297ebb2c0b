package org.spin.config;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.spin.SpinException;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads and writes the reference's YAML layout. Reading keeps YAML 1.1's implicit types (the
 * schema coerces them afterwards) except timestamps: an {@code OUTPUT_DIR: 2024-01-01} should
 * stay the text the user wrote. Writing is hand-rolled rather than a SnakeYAML dump so the
 * layout matches the reference files and not-acted-on keys can carry a comment.
 */
final class YamlCodec {

    static final String NOT_ACTED_COMMENT = "  # not acted on yet";

    /**
     * Longest document read, in code points. The reference configs are a few kilobytes; SnakeYAML
     * copies its buffer for each chunk of a long token (the cost grows with the square of the
     * token's length): a token of this length makes 140 MB of garbage, one as long as the
     * library's default limit (3M code points) 30 GB.
     */
    static final int MAX_CODE_POINTS = 256 * 1024;
    /** Aliases a document may expand: enough for anchors shared by a few sections, not for a "billion laughs". */
    static final int MAX_ALIASES = 20;
    /** Collections nested in each other; a config nests three deep. */
    static final int MAX_NESTING = 50;

    private YamlCodec() {}

    /** Parses a whole document; syntax errors become one-line SpinExceptions naming the source. */
    static Object parseDocument(String text, Source source) {
        // checked here because SnakeYAML checks its own limit only at the end of a token, after
        // copying its buffer for every chunk of it: a 1 MB token would cost gigabytes first
        if (text.length() > MAX_CODE_POINTS && text.codePointCount(0, text.length()) > MAX_CODE_POINTS) {
            throw new SpinException(source.name() + ": invalid YAML: the document has more than " + MAX_CODE_POINTS
                    + " characters; expected a config of a few kilobytes");
        }
        try {
            return newYaml().load(text);
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark();
            String where = mark == null ? "" : " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
            throw new SpinException(source.name() + ": invalid YAML" + where + ": "
                    + SpinException.excerpt(oneLine(e.getProblem())), e);
        } catch (YAMLException e) {
            String why = SpinException.excerpt(oneLine(e.getMessage()));
            throw new SpinException(source.name() + ": invalid YAML: " + why, e);
        } catch (RuntimeException e) {
            // SnakeYAML's constructors let their own failures through: !!binary with bad base64
            // (IllegalArgumentException), !!int on text (NumberFormatException)
            throw new SpinException(source.name() + ": invalid YAML: a value cannot be read ("
                    + SpinException.firstLine(e) + ")", e);
        }
    }

    /**
     * Parses a command-line value as a YAML flow scalar or list; text that is not valid YAML is
     * returned as is so that coercion reports it as a wrong value, not as a YAML syntax error.
     */
    static Object parseValue(String text) {
        try {
            return newYaml().load(text);
        } catch (YAMLException e) {
            return text;
        }
    }

    static String write(ConfigSchema schema, Function<ConfigKey, Object> value, String header) {
        StringBuilder out = new StringBuilder();
        for (String line : header.split("\n")) {
            out.append("# ").append(line).append('\n');
        }
        emit(schema.nest(key -> key), "", value, out);
        return out.toString();
    }

    private static void emit(Map<String, Object> node, String indent, Function<ConfigKey, Object> value,
            StringBuilder out) {
        for (Map.Entry<String, Object> e : node.entrySet()) {
            out.append(indent).append(e.getKey()).append(':');
            if (e.getValue() instanceof ConfigKey key) {
                out.append(' ').append(scalar(value.apply(key)));
                if (!key.actedOn()) {
                    out.append(NOT_ACTED_COMMENT);
                }
                out.append('\n');
            } else {
                out.append('\n');
                @SuppressWarnings("unchecked")
                Map<String, Object> child = (Map<String, Object>) e.getValue();
                emit(child, indent + "  ", value, out);
            }
        }
    }

    private static String scalar(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof List<?> list) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < list.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(scalar(list.get(i)));
            }
            return sb.append(']').toString();
        }
        if (v instanceof String s) {
            return isPlainSafe(s) ? s : quoted(s);
        }
        return v.toString(); // Integer, Boolean, Double (Double.toString round-trips exactly)
    }

    /** Writes a string unquoted only when reading it back, in place, gives the same string. */
    private static boolean isPlainSafe(String s) {
        if (s.isEmpty() || !s.equals(s.strip()) || s.equals("None")) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false; // keep generated files ASCII and avoid YAML's exotic line breaks
            }
        }
        try {
            Object back = newYaml().load("k: " + s + NOT_ACTED_COMMENT);
            return back instanceof Map<?, ?> m && Objects.equals(m.get("k"), s);
        } catch (YAMLException e) {
            return false;
        }
    }

    private static String quoted(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    private static String oneLine(String message) {
        return message == null ? "unknown error" : message.strip().replaceAll("\\s*\\n\\s*", " ");
    }

    private static Yaml newYaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setNestingDepthLimit(MAX_NESTING);
        options.setCodePointLimit(MAX_CODE_POINTS);
        DumperOptions dumper = new DumperOptions();
        return new Yaml(new SafeConstructor(options), new Representer(dumper), dumper, options,
                new NoTimestampResolver());
    }

    /** SnakeYAML's YAML 1.1 resolver minus timestamps. */
    private static final class NoTimestampResolver extends Resolver {
        @Override
        protected void addImplicitResolvers() {
            addImplicitResolver(Tag.BOOL, BOOL, "yYnNtTfFoO", 10);
            addImplicitResolver(Tag.INT, INT, "-+0123456789");
            addImplicitResolver(Tag.FLOAT, FLOAT, "-+0123456789.");
            addImplicitResolver(Tag.MERGE, MERGE, "<", 10);
            addImplicitResolver(Tag.NULL, NULL, "~nN\0", 10);
            addImplicitResolver(Tag.NULL, EMPTY, null, 10);
            addImplicitResolver(Tag.YAML, YAML, "!&*", 10);
        }
    }
}
