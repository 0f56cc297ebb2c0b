package org.spin.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.spin.SpinException;

/**
 * Reads IDX files of unsigned bytes (the MNIST family format), gzip'd or plain.
 *
 * <p>Compression is detected from the gzip magic 0x1f8b rather than from the file name, because
 * people gunzip files and keep the name, or the other way round. Every defect becomes a
 * {@link SpinException} naming the file, since a corrupt download is a user problem, not a bug.
 */
public final class IdxReader {

    private static final int GZIP_MAGIC_0 = 0x1f;
    private static final int GZIP_MAGIC_1 = 0x8b;
    private static final int UBYTE_TYPE = 0x08;
    private static final int BUFFER = 1 << 16;

    private IdxReader() {}

    /**
     * Reads {@code file}, which must hold unsigned bytes in exactly {@code expectedDims} dimensions
     * (magic 0x0000_08_dd) and nothing after the data.
     */
    public static IdxArray read(Path file, int expectedDims) {
        int expectedMagic = (UBYTE_TYPE << 8) | expectedDims;
        boolean gzip = false;
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), BUFFER)) {
            raw.mark(2);
            gzip = raw.read() == GZIP_MAGIC_0 && raw.read() == GZIP_MAGIC_1;
            raw.reset();
            InputStream in = gzip ? new BufferedInputStream(new GZIPInputStream(raw, BUFFER), BUFFER) : raw;
            DataInputStream data = new DataInputStream(in);
            int magic;
            try {
                magic = data.readInt();
            } catch (EOFException e) {
                rethrowIfGzipFault(file, gzip, e);
                throw fail(file, "is too short to hold an IDX header (expected magic 0x%08X)", expectedMagic);
            }
            if (magic != expectedMagic) {
                throw fail(file, "has magic 0x%08X, expected 0x%08X (IDX unsigned bytes, %d dimension%s)",
                        magic, expectedMagic, expectedDims, expectedDims == 1 ? "" : "s");
            }
            int[] dims = new int[expectedDims];
            long total = 1;
            for (int i = 0; i < expectedDims; i++) {
                try {
                    dims[i] = data.readInt();
                } catch (EOFException e) {
                    rethrowIfGzipFault(file, gzip, e);
                    throw fail(file, "is truncated inside its header (dimension %d of %d missing)", i + 1, expectedDims);
                }
                if (dims[i] < 0) {
                    throw fail(file, "declares a negative size %d for dimension %d", dims[i], i + 1);
                }
                total *= dims[i];
                if (total > Integer.MAX_VALUE - 8) {
                    throw fail(file, "declares more than 2^31 bytes of data; not a plausible IDX file");
                }
            }
            if (!gzip) {
                long available = Files.size(file) - 4L - 4L * expectedDims;
                if (available < total) {
                    throw truncated(file, dims, total, available);
                }
            }
            // readNBytes grows its buffer as data arrives, so a lying header cannot make us
            // allocate gigabytes before we notice the file is short.
            byte[] bytes = data.readNBytes((int) total);
            if (bytes.length < total) {
                throw truncated(file, dims, total, bytes.length);
            }
            if (data.read() != -1) {
                throw fail(file, "has bytes after the %d declared by its header %s; not a single IDX array",
                        total, shape(dims));
            }
            return new IdxArray(dims, bytes);
        } catch (NoSuchFileException e) {
            throw fail(file, "does not exist");
        } catch (ZipException | EOFException e) {
            throw gzipFault(file, e);
        } catch (IOException e) {
            if (gzip) {
                throw new SpinException("IDX file " + file + " could not be decompressed as gzip: " + e.getMessage(), e);
            }
            throw new SpinException("IDX file " + file + " could not be read: " + e, e);
        }
    }

    /** DataInputStream's own end-of-data has no message; the inflater's always has one. */
    private static void rethrowIfGzipFault(Path file, boolean gzip, EOFException e) {
        if (gzip && e.getMessage() != null) {
            throw gzipFault(file, e);
        }
    }

    private static SpinException gzipFault(Path file, IOException e) {
        return new SpinException("IDX file " + file + " is not valid gzip data (truncated or corrupt: "
                + e.getMessage() + ")", e);
    }

    private static SpinException truncated(Path file, int[] dims, long total, long got) {
        return fail(file, "is truncated: its header declares %s = %d data bytes but only %d follow",
                shape(dims), total, Math.max(0, got));
    }

    private static String shape(int[] dims) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < dims.length; i++) {
            sb.append(i == 0 ? "" : "x").append(dims[i]);
        }
        return sb.toString();
    }

    private static SpinException fail(Path file, String what, Object... args) {
        return new SpinException("IDX file " + file + " " + String.format(what, args));
    }
}
