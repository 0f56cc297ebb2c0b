package org.spin.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files for tests, so no test needs the real data set. */
final class IdxFixtures {

    private IdxFixtures() {}

    /** An IDX file image: big-endian magic, dims, then data. */
    static byte[] idx(int magic, int[] dims, byte[] data) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(magic);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(data);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] images(int n, int rows, int cols, byte[] data) {
        return idx(0x803, new int[] {n, rows, cols}, data);
    }

    static byte[] labels(byte[] labels) {
        return idx(0x801, new int[] {labels.length}, labels);
    }

    static byte[] gzip(byte[] plain) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
                gz.write(plain);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(Path file, byte[] content) {
        try {
            Files.createDirectories(file.getParent());
            return Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Pixel {@code j} of image {@code i} is {@code i * 10 + j}, so tests can check placement. */
    static byte[] pixels(int n, int rows, int cols) {
        byte[] data = new byte[n * rows * cols];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < rows * cols; j++) {
                data[i * rows * cols + j] = (byte) (i * 10 + j);
            }
        }
        return data;
    }

    /** A complete, valid split ({@code prefix} "train" or "t10k") of 3 images 2×2 in {@code dir}. */
    static void writeSplit(Path dir, String prefix, boolean gzip) {
        byte[] images = images(3, 2, 2, pixels(3, 2, 2));
        byte[] labels = labels(new byte[] {9, 0, 4});
        String suffix = gzip ? ".gz" : "";
        write(dir.resolve(prefix + "-images-idx3-ubyte" + suffix), gzip ? gzip(images) : images);
        write(dir.resolve(prefix + "-labels-idx1-ubyte" + suffix), gzip ? gzip(labels) : labels);
    }
}
