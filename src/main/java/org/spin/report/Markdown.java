package org.spin.report;

/** Escaping for a GitHub-markdown table cell: run names and errors come from files we did not write. */
final class Markdown {

    private Markdown() {}

    /**
     * Text as written, on one line: markdown's punctuation ({@code | * _ ` [ ] \}) backslash-escaped,
     * {@code &} and {@code <} as entities (no HTML, no entity of the text's own), line breaks as spaces.
     */
    static String cell(Object o) {
        StringBuilder b = new StringBuilder();
        for (char c : String.valueOf(o).replaceAll("\\s*[\\r\\n]+\\s*", " ").toCharArray()) {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '|', '*', '_', '`', '[', ']', '\\' -> b.append('\\').append(c);
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
