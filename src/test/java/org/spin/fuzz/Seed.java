package org.spin.fuzz;

import java.util.function.UnaryOperator;

/**
 * A valid input file to mutate. A file inside a container (a zip entry, a gzip stream) keeps its
 * own bytes and the way to wrap them, so a case can mutate either the content, which the
 * container then carries intact past its own checks, or the container's bytes.
 *
 * @param name     how reports name the seed
 * @param fileName where the case writes it, relative to the case folder
 * @param content  the bytes mutations edit when they aim inside the container
 * @param wrap     content to file bytes; null for a plain file
 */
record Seed(String name, String fileName, byte[] content, UnaryOperator<byte[]> wrap) {

    static Seed plain(String name, String fileName, byte[] bytes) {
        return new Seed(name, fileName, bytes, null);
    }

    boolean wrapped() {
        return wrap != null;
    }

    byte[] file() {
        return wrap == null ? content : wrap.apply(content);
    }

    @Override
    public String toString() {
        return name;
    }
}
