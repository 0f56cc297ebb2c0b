package org.spin.io;

import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.spin.SpinException;

/**
 * Reads and writes the safetensors format (8-byte little-endian header length, JSON header,
 * raw data). We implement it ourselves because DJL's codec drops {@code __metadata__}, where we
 * keep provenance, and because a hand-written reader can validate every offset against the file
 * and report the file name in its errors.
 */
public final class SafeTensors {

    /** Same cap as the reference implementation: a larger header means a corrupt or hostile file. */
    static final long MAX_HEADER_BYTES = 100_000_000L;

    private SafeTensors() {}

    /**
     * Reads a whole file, tensors in header order. Tensor bytes are read straight from the file
     * into their own arrays, so peak memory is about the file size, not twice it.
     *
     * @throws SpinException naming the file when it is missing, unreadable or inconsistent
     */
    public static SafeTensorsFile read(Path path) {
        String file = path.toString();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new SpinException(file + ": file has " + size
                        + " bytes; expected a safetensors file (8-byte header length, JSON header, data)");
            }
            long headerLength = readFully(ch, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
                throw new SpinException(file + ": safetensors header length " + Long.toUnsignedString(headerLength)
                        + " exceeds the " + MAX_HEADER_BYTES + "-byte limit; not a safetensors file?");
            }
            if (8 + headerLength > size) {
                throw new SpinException(file + ": safetensors header length " + headerLength
                        + " exceeds the file's remaining " + (size - 8) + " bytes (truncated file?)");
            }
            byte[] headerBytes = readFully(ch, 8, (int) headerLength).array();
            long dataStart = 8 + headerLength;
            SafeTensorsHeader header = SafeTensorsHeader.parse(file, headerBytes, size - dataStart);
            Map<String, HostTensor> tensors = new LinkedHashMap<>();
            for (SafeTensorsHeader.Entry e : header.entries()) {
                if (e.byteLength() > Integer.MAX_VALUE - 8) {
                    throw new SpinException(file + ": tensor " + SpinException.quoted(e.name()) + " has "
                            + e.byteLength() + " bytes; tensors over 2 GB are not supported");
                }
                byte[] data = readFully(ch, dataStart + e.start(), (int) e.byteLength()).array();
                tensors.put(e.name(), new HostTensor(e.dtype(), e.shape(), data));
            }
            return new SafeTensorsFile(tensors, header.metadata());
        } catch (NoSuchFileException e) {
            throw new SpinException(file + ": file not found; expected a safetensors file", e);
        } catch (IOException e) {
            throw new SpinException(file + ": cannot read safetensors file: " + e, e);
        }
    }

    /** Writes tensors without metadata; see {@link #write(Path, Map, Map)}. */
    public static void write(Path path, Map<String, HostTensor> tensors) {
        write(path, tensors, Map.of());
    }

    /**
     * Writes tensors in the map's iteration order, atomically. The header is padded with spaces
     * to an 8-byte boundary, as the reference writer does, so that readers mapping the file can
     * view 8-byte dtypes in place.
     *
     * @param metadata stored as {@code __metadata__}; omitted when empty
     */
    public static void write(Path path, Map<String, HostTensor> tensors, Map<String, String> metadata) {
        byte[] header = headerJson(path, tensors, metadata).getBytes(StandardCharsets.UTF_8);
        int padded = (header.length + 7) / 8 * 8;
        ByteBuffer prefix = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        prefix.putLong(padded).put(header);
        while (prefix.hasRemaining()) {
            prefix.put((byte) ' ');
        }
        AtomicFiles.write(path, out -> {
            out.write(prefix.array());
            for (HostTensor t : tensors.values()) {
                out.write(t.data());
            }
        });
    }

    private static String headerJson(Path path, Map<String, HostTensor> tensors, Map<String, String> metadata) {
        StringWriter text = new StringWriter();
        try (JsonWriter json = new JsonWriter(text)) {
            json.beginObject();
            if (!metadata.isEmpty()) {
                json.name(SafeTensorsHeader.METADATA_KEY).beginObject();
                for (Map.Entry<String, String> m : metadata.entrySet()) {
                    if (m.getKey() == null || m.getValue() == null) {
                        throw new SpinException(path + ": metadata entry '" + m.getKey()
                                + "' has no value; safetensors metadata must map strings to strings");
                    }
                    json.name(m.getKey()).value(m.getValue());
                }
                json.endObject();
            }
            long offset = 0;
            for (Map.Entry<String, HostTensor> e : tensors.entrySet()) {
                if (SafeTensorsHeader.METADATA_KEY.equals(e.getKey())) {
                    throw new SpinException(path + ": '" + SafeTensorsHeader.METADATA_KEY
                            + "' is reserved and cannot name a tensor");
                }
                HostTensor t = e.getValue();
                json.name(e.getKey()).beginObject();
                json.name("dtype").value(t.dtype().safetensorsName());
                json.name("shape").beginArray();
                for (long d : t.shape()) {
                    json.value(d);
                }
                json.endArray();
                json.name("data_offsets").beginArray().value(offset).value(offset + t.data().length).endArray();
                json.endObject();
                offset += t.data().length;
            }
            json.endObject();
        } catch (IOException e) {
            throw new IllegalStateException("writing JSON to memory cannot fail", e);
        }
        return text.toString();
    }

    private static ByteBuffer readFully(FileChannel ch, long position, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.hasRemaining()) {
            int n = ch.read(buf, position + buf.position());
            if (n < 0) {
                throw new IOException("unexpected end of file at byte " + (position + buf.position()));
            }
        }
        buf.flip();
        return buf;
    }
}
