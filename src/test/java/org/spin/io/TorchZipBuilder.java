package org.spin.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Lays out a zip like torch.save does: {@code <prefix>/data.pkl}, {@code <prefix>/data/<key>}, byteorder, version. */
final class TorchZipBuilder {

    private final String prefix;
    private byte[] pickle;
    private final Map<String, byte[]> storages = new LinkedHashMap<>();
    private String byteOrder = "little";

    TorchZipBuilder(String prefix) {
        this.prefix = prefix;
    }

    TorchZipBuilder pickle(byte[] pickle) {
        this.pickle = pickle;
        return this;
    }

    TorchZipBuilder storage(String key, byte[] bytes) {
        storages.put(key, bytes);
        return this;
    }

    /** {@code null} omits the entry, like checkpoints from older PyTorch versions. */
    TorchZipBuilder byteOrder(String order) {
        this.byteOrder = order;
        return this;
    }

    Path writeTo(Path file) throws IOException {
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
            entry(zip, prefix + "/data.pkl", pickle);
            if (byteOrder != null) {
                entry(zip, prefix + "/byteorder", byteOrder.getBytes(StandardCharsets.US_ASCII));
            }
            for (Map.Entry<String, byte[]> s : storages.entrySet()) {
                entry(zip, prefix + "/data/" + s.getKey(), s.getValue());
            }
            entry(zip, prefix + "/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        }
        return file;
    }

    private static void entry(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }
}
