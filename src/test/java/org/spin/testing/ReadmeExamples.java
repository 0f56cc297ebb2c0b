package org.spin.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps the README's Java examples and the tests that run them the same text: a test holds the
 * example between {@code // README example begins} and {@code // README example ends}.
 */
public final class ReadmeExamples {

    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final String BEGIN = "    // README example begins";
    private static final String END = "    // README example ends";

    private ReadmeExamples() {}

    /** The code between the markers in a test's source, one class indent removed. */
    public static String inTest(Path source) throws IOException {
        List<String> lines = Files.readAllLines(source);
        int begin = lines.indexOf(BEGIN);
        int end = lines.indexOf(END);
        if (begin < 0 || end <= begin) {
            throw new AssertionError(source + " has no README example between its markers");
        }
        StringBuilder example = new StringBuilder();
        for (String line : lines.subList(begin + 1, end)) {
            example.append(line.replaceFirst("^    ", "")).append('\n');
        }
        return example.toString();
    }

    /** The README's ```java block that contains {@code marker}. */
    public static String inReadme(String marker) throws IOException {
        Matcher m = JAVA_BLOCK.matcher(Files.readString(Path.of("README.md")));
        while (m.find()) {
            if (m.group(1).contains(marker)) {
                return m.group(1);
            }
        }
        throw new AssertionError("README.md has no ```java block using " + marker);
    }
}
