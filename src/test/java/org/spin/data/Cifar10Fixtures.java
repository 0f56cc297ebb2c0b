package org.spin.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Small CIFAR-10 binary folders with known contents. */
public final class Cifar10Fixtures {

    /** Records per file: data_batch_1..5, then test_batch. */
    public static final int[] RECORDS = {2, 3, 1, 2, 2, 3};

    private Cifar10Fixtures() {}

    /** Label of record {@code i} (counting across the files of a split). */
    public static int label(int i) {
        return (i * 7 + 3) % 10;
    }

    /** Pixel byte {@code p} (0..3071, channel-major) of record {@code i}. */
    public static byte pixel(int i, int p) {
        return (byte) (i * 31 + p * 13 + p / 1024);
    }

    /** A folder with the six batch files of {@link #RECORDS} records and, if given, a meta file. */
    public static Path write(Path dir, List<String> metaLines) {
        try {
            Files.createDirectories(dir);
            int file = 0;
            for (String name : Cifar10.TRAIN_FILES) {
                writeBatch(dir.resolve(name), RECORDS[file++], offset(file - 1));
            }
            writeBatch(dir.resolve(Cifar10.TEST_FILE), RECORDS[5], 0);
            if (metaLines != null) {
                Files.writeString(dir.resolve(Cifar10.META_FILE), String.join("\n", metaLines), StandardCharsets.UTF_8);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Index of the first record of training file {@code file} within the training split. */
    public static int offset(int file) {
        int at = 0;
        for (int f = 0; f < file; f++) {
            at += RECORDS[f];
        }
        return at;
    }

    private static void writeBatch(Path file, int records, int first) throws IOException {
        byte[] bytes = new byte[records * Cifar10.RECORD];
        for (int r = 0; r < records; r++) {
            int i = first + r;
            bytes[r * Cifar10.RECORD] = (byte) label(i);
            for (int p = 0; p < Cifar10.RECORD - 1; p++) {
                bytes[r * Cifar10.RECORD + 1 + p] = pixel(i, p);
            }
        }
        Files.write(file, bytes);
    }
}
