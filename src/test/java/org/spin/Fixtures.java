package org.spin;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the reference fixtures live: {@code ../shared/fixtures/reference} beside the checkout. */
public final class Fixtures {

    private Fixtures() {}

    public static Path referenceDir() {
        String override = System.getProperty("spin.fixtures");
        Path dir = override != null
                ? Path.of(override)
                : Path.of(System.getProperty("user.dir")).resolve("../shared/fixtures/reference").normalize();
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("reference fixtures not found at " + dir
                    + " (set -Dspin.fixtures=DIR)");
        }
        return dir;
    }

    public static Path reference(String file) {
        return referenceDir().resolve(file);
    }
}
