package org.spin.report;

/** Escaping for a GitHub-markdown table cell: run names and errors come from files we did not write. */
final class Markdown {

    private Markdown() {}

    /** One line, no column break, no HTML: {@code |} escaped, line breaks as spaces, {@code <} as an entity. */
    static String cell(Object o) {
        return String.valueOf(o).replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;")
                .replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }
}
