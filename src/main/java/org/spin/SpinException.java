package org.spin;

/**
 * An error a user can act on: bad input (a config key or value, a file, a shape) rather than a
 * bug. The CLI prints its message as one line and exits non-zero, so the message must name the
 * input and what was expected.
 */
public class SpinException extends RuntimeException {

    /** Most characters of outside text a message carries: a corrupt file can hold megabytes of it. */
    public static final int EXCERPT_CHARS = 200;

    public SpinException(String message) {
        super(message);
    }

    public SpinException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Text that came from an input (a name, a value, a parser's complaint) made fit for a message:
     * line breaks and other control characters escaped, because the message must stay one line
     * and a terminal would act on escape codes, and cut to {@value #EXCERPT_CHARS} characters.
     */
    public static String excerpt(String text) {
        if (text == null) {
            return "null";
        }
        int end = Math.min(text.length(), EXCERPT_CHARS);
        if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        StringBuilder sb = new StringBuilder(end + 16);
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        if (end < text.length()) {
            sb.append("... (").append(text.length()).append(" characters)");
        }
        return sb.toString();
    }

    /** {@link #excerpt} in single quotes, the way messages show names and values. */
    public static String quoted(String text) {
        return "'" + excerpt(text) + "'";
    }

    /**
     * The first line of a library's message, as an {@link #excerpt}: Gson, for one, adds a second
     * line pointing at its troubleshooting page. The exception's class stands in for a missing message.
     */
    public static String firstLine(Throwable t) {
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            return t.getClass().getSimpleName();
        }
        int newline = m.strip().indexOf('\n');
        return excerpt(newline < 0 ? m.strip() : m.strip().substring(0, newline).strip());
    }
}
