package org.spin.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.spin.SpinException;

/**
 * Loads CIFAR-10 from its binary version (https://www.cs.toronto.edu/~kriz/cifar.html), a folder
 * the user provides: nothing is downloaded.
 *
 * <p>Each batch file is a run of 3073-byte records, one label byte and then the 32×32 image as
 * its red, green and blue planes, row-major: already the C×H×W layout of {@link ImageSet}, so a
 * record's pixels are copied as they are, into one array sized from the files' lengths.
 */
public final class Cifar10 {

    public static final int SIDE = 32;
    public static final int CHANNELS = 3;
    /** 1 label byte + 3×32×32 pixel bytes. */
    public static final int RECORD = 1 + CHANNELS * SIDE * SIDE;
    public static final List<String> TRAIN_FILES = List.of(
            "data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");
    public static final String TEST_FILE = "test_batch.bin";
    public static final String META_FILE = "batches.meta.txt";
    /** The folder the official archive unpacks to; accepted inside the configured folder too. */
    public static final String ARCHIVE_DIR = "cifar-10-batches-bin";
    /** The standard ten, for a folder without {@value #META_FILE}. */
    public static final List<String> CLASS_NAMES = List.of(
            "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

    private static final int STANDARD_RECORDS = 10_000;

    private Cifar10() {}

    /** The training split (the five data batches, in order) or the test batch from {@code dir}. */
    public static ImageSet load(Path dir, boolean train) {
        Path home = home(dir);
        List<String> names = classNames(home);
        List<Path> files = new ArrayList<>();
        for (String name : train ? TRAIN_FILES : List.of(TEST_FILE)) {
            Path f = home.resolve(name);
            if (!Files.isRegularFile(f)) {
                throw new SpinException("CIFAR-10 file " + f + " not found; expected the binary version's "
                        + String.join(", ", TRAIN_FILES) + " and " + TEST_FILE + " in " + home
                        + " (DATA.PATH_TO_DATA_DIR)");
            }
            files.add(f);
        }
        long total = 0;
        for (Path f : files) {
            total += records(f);
        }
        if (total * (RECORD - 1) > Integer.MAX_VALUE - 8) {
            throw new SpinException("CIFAR-10 files in " + home + " hold " + total
                    + " records, too many to hold in memory as one array; expected at most 50000 per split");
        }
        int n = (int) total;
        byte[] pixels = new byte[n * (RECORD - 1)];
        int[] labels = new int[n];
        int at = 0;
        for (Path f : files) {
            at = read(f, names, pixels, labels, at);
        }
        return new ImageSet(pixels, labels, n, CHANNELS, SIDE, SIDE, names);
    }

    /**
     * What the labels mean: the lines of {@value #META_FILE} when the folder has it (blank lines
     * dropped; the official file ends with some), else {@link #CLASS_NAMES}.
     */
    public static List<String> classNames(Path dir) {
        Path meta = home(dir).resolve(META_FILE);
        if (!Files.isRegularFile(meta)) {
            return CLASS_NAMES;
        }
        List<String> names = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(meta, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    names.add(line.strip());
                }
            }
        } catch (IOException e) {
            throw new SpinException("CIFAR-10 file " + meta + " could not be read (" + e.getMessage()
                    + "); expected one class name per line", e);
        }
        return names.isEmpty() ? CLASS_NAMES : List.copyOf(names);
    }

    /** {@code dir}, or its {@value #ARCHIVE_DIR} when the files are there instead (the unpacked archive). */
    private static Path home(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new SpinException("CIFAR-10 folder " + dir + " (DATA.PATH_TO_DATA_DIR) does not exist; expected"
                    + " the unpacked binary version (" + ARCHIVE_DIR + ", with data_batch_1.bin ... test_batch.bin)");
        }
        Path unpacked = dir.resolve(ARCHIVE_DIR);
        return !Files.exists(dir.resolve(TEST_FILE)) && Files.isDirectory(unpacked) ? unpacked : dir;
    }

    /** Records in {@code file}, from its size. */
    private static long records(Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new SpinException("CIFAR-10 file " + file + " could not be read: " + e.getMessage(), e);
        }
        if (size == 0 || size % RECORD != 0) {
            throw new SpinException("CIFAR-10 file " + file + " has " + size + " bytes, not a whole number of "
                    + RECORD + "-byte records (1 label + 3072 pixels); expected " + (long) STANDARD_RECORDS * RECORD
                    + " (" + STANDARD_RECORDS + " records): truncated, or not the binary version");
        }
        return size / RECORD;
    }

    /** Reads {@code file}'s records into the arrays from sample {@code at}; returns the next free sample. */
    private static int read(Path file, List<String> names, byte[] pixels, int[] labels, int at) {
        int n = (int) records(file);
        byte[] record = new byte[RECORD];
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            for (int i = 0; i < n; i++) {
                int got = in.readNBytes(record, 0, RECORD);
                if (got < RECORD) {
                    // the size was whole when we looked: the file shrank while we read it
                    throw new SpinException("CIFAR-10 file " + file + " is truncated: record " + i + " of " + n
                            + " has " + got + " of its " + RECORD + " bytes");
                }
                int label = record[0] & 0xff;
                if (label >= names.size()) {
                    throw new SpinException("CIFAR-10 file " + file + " has label " + label + " in record " + i
                            + "; expected 0.." + (names.size() - 1) + ", one per class name (" + META_FILE
                            + ", else the standard ten)");
                }
                labels[at] = label;
                System.arraycopy(record, 1, pixels, at * (RECORD - 1), RECORD - 1);
                at++;
            }
        } catch (IOException e) {
            throw new SpinException("CIFAR-10 file " + file + " could not be read: " + e.getMessage(), e);
        }
        return at;
    }
}
