package org.spin.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.spin.SpinException;

/**
 * The container side of {@code torch.save} since PyTorch 1.6: a zip whose entries all sit in one
 * folder, holding {@code data.pkl} (the object graph), {@code data/<key>} (raw storages) and
 * optionally {@code byteorder}. This class finds those records and reads them with size checks;
 * it knows nothing about pickles.
 */
final class TorchZipArchive implements AutoCloseable {

    private final String file;
    private final ZipFile zip;
    private final String prefix;
    private final long fileBytes;

    private TorchZipArchive(String file, ZipFile zip, String prefix, long fileBytes) {
        this.file = file;
        this.zip = zip;
        this.prefix = prefix;
        this.fileBytes = fileBytes;
    }

    /** Opens and sanity-checks the archive, explaining what it is instead when it is not one. */
    static TorchZipArchive open(Path path) {
        String file = path.toString();
        if (!Files.isRegularFile(path)) {
            throw new SpinException(file + (Files.isDirectory(path) ? ": is a directory" : ": file not found")
                    + "; expected a PyTorch checkpoint");
        }
        ZipFile zip;
        long size;
        try {
            size = Files.size(path);
            zip = new ZipFile(path.toFile());
        } catch (ZipException e) {
            throw notAZip(path, e);
        } catch (IOException e) {
            String why = SpinException.excerpt(e.toString());
            throw new SpinException(file + ": cannot read PyTorch checkpoint: " + why, e);
        }
        try {
            TorchZipArchive archive = new TorchZipArchive(file, zip, findPrefix(file, zip), size);
            archive.checkByteOrder();
            return archive;
        } catch (RuntimeException e) {
            closeQuietly(zip);
            throw e;
        }
    }

    /** The archive file's size, which bounds what its tensors may occupy. */
    long fileBytes() {
        return fileBytes;
    }

    /** The entry name of the pickle, for messages. */
    String pickleName() {
        return prefix + "data.pkl";
    }

    byte[] pickle() {
        return read(pickleName());
    }

    /** Reads storage {@code key} and checks its length is a whole number of elements. */
    TorchStorage storage(String key, DType dtype) {
        String name = prefix + "data/" + key;
        byte[] bytes = read(name);
        if (bytes.length % dtype.byteSize() != 0) {
            throw new SpinException(file + ": storage " + SpinException.quoted(name) + " has " + bytes.length
                    + " bytes, not a whole number of " + dtype + " elements");
        }
        return new TorchStorage(key, dtype, bytes);
    }

    private byte[] read(String name) {
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) {
            throw new SpinException(file + ": checkpoint lacks zip entry " + SpinException.quoted(name)
                    + "; the file is incomplete or not written by torch.save");
        }
        try (InputStream in = zip.getInputStream(entry)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new SpinException(file + ": cannot read zip entry " + SpinException.quoted(name)
                    + " (truncated or corrupt file?): " + SpinException.firstLine(e), e);
        }
    }

    /** Storages are raw machine bytes; we decode them as little-endian, so big-endian files are refused. */
    private void checkByteOrder() {
        if (zip.getEntry(prefix + "byteorder") == null) {
            return; // written before PyTorch recorded it, always on little-endian hosts in practice
        }
        String order = new String(read(prefix + "byteorder"), StandardCharsets.US_ASCII).trim();
        if (!order.equals("little")) {
            throw new SpinException(file + ": checkpoint byteorder is " + SpinException.quoted(order)
                    + "; only little-endian checkpoints are supported");
        }
    }

    /** Like PyTorch, expects exactly one top-level folder holding {@code data.pkl}. */
    private static String findPrefix(String file, ZipFile zip) {
        List<String> candidates = zip.stream()
                .map(ZipEntry::getName)
                .filter(n -> n.endsWith("/data.pkl") && n.indexOf('/') == n.length() - "/data.pkl".length())
                .toList();
        if (candidates.size() != 1) {
            throw new SpinException(file + ": zip holds " + (candidates.isEmpty() ? "no" : candidates.size())
                    + " '<name>/data.pkl' entries; expected exactly one, as written by torch.save");
        }
        String pkl = candidates.get(0);
        return pkl.substring(0, pkl.length() - "data.pkl".length());
    }

    private static SpinException notAZip(Path path, ZipException e) {
        byte[] head = new byte[0];
        try (InputStream in = Files.newInputStream(path)) {
            head = in.readNBytes(4);
        } catch (IOException ignored) {
            // fall through with what we have
        }
        if (head.length >= 2 && head[0] == 'P' && head[1] == 'K') {
            return new SpinException(path + ": zip archive is truncated or corrupt (" + SpinException.firstLine(e)
                    + "); expected a complete PyTorch checkpoint", e);
        }
        String reason = head.length >= 1 && (head[0] & 0xFF) == 0x80
                ? "looks like a legacy pickle checkpoint; re-save it with a recent torch.save"
                : SpinException.firstLine(e);
        return new SpinException(path + ": not a PyTorch zip checkpoint (torch.save format since 1.6): " + reason, e);
    }

    private static void closeQuietly(ZipFile zip) {
        try {
            zip.close();
        } catch (IOException ignored) {
            // nothing useful to add to the error already being thrown
        }
    }

    @Override
    public void close() {
        closeQuietly(zip);
    }
}
