package org.spin.fuzz;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import net.jqwik.api.Arbitraries;
import org.spin.Fixtures;
import org.spin.config.SpinConfig;
import org.spin.data.Cifar10;
import org.spin.data.EpochIterator;
import org.spin.data.FashionMnist;
import org.spin.data.FileIndex;
import org.spin.data.IdxReader;
import org.spin.data.ImageTransform;
import org.spin.data.Resample;
import org.spin.data.StreamingLoader;
import org.spin.io.DType;
import org.spin.io.HostTensor;
import org.spin.io.SafeTensors;
import org.spin.io.TorchCheckpoint;
import org.spin.io.WeightFiles;
import org.spin.predict.ImageFiles;
import org.spin.report.RunResults;
import org.spin.report.Sweep;
import org.spin.sweep.ResultFile;
import org.spin.sweep.SweepSpec;

/** Every reader of outside bytes, with the valid files its fuzz cases start from. */
final class Targets {

    private static final String IMAGES = "train-images-idx3-ubyte";
    private static final String LABELS = "train-labels-idx1-ubyte";

    static final FuzzTarget SAFETENSORS = new FuzzTarget("SafeTensors.read", safetensorsSeeds(),
            Arbitraries.oneOf(Mutations.binary(512), Mutations.text()), (dir, file) -> SafeTensors.read(file));

    static final FuzzTarget WEIGHT_FILES = new FuzzTarget("WeightFiles.read", weightFileSeeds(),
            Mutations.binary(512), (dir, file) -> WeightFiles.read(file));

    static final FuzzTarget TORCH_STATE_DICT = new FuzzTarget("TorchCheckpoint.readStateDict", torchSeeds(),
            Arbitraries.oneOf(Mutations.pickle(), Mutations.binary(128)), (dir, file) -> TorchCheckpoint.readStateDict(file));

    static final FuzzTarget TORCH_TOP_LEVEL = new FuzzTarget("TorchCheckpoint.readTopLevel", torchSeeds(),
            Arbitraries.oneOf(Mutations.pickle(), Mutations.binary(128)), (dir, file) -> TorchCheckpoint.readTopLevel(file));

    static final FuzzTarget IDX = new FuzzTarget("IdxReader.read", idxSeeds(), Mutations.binary(16),
            (dir, file) -> IdxReader.read(file, file.getFileName().toString().contains("images") ? 3 : 1));

    static final FuzzTarget FASHION_MNIST = new FuzzTarget("FashionMnist.read", idxSeeds(), Mutations.binary(16),
            (dir, file) -> {
                String name = file.getFileName().toString();
                Path images = name.contains("images") ? file : dir.resolve(IMAGES);
                Path labels = name.contains("labels") ? file : dir.resolve(LABELS);
                return FashionMnist.read(images, labels);
            }).withCompanions(Map.of(IMAGES, idxImages(), LABELS, idxLabels()));

    static final FuzzTarget CIFAR10 = new FuzzTarget("Cifar10.load", cifarSeeds(),
            Arbitraries.oneOf(Mutations.binary(32), Mutations.text()), (dir, file) -> Cifar10.load(dir, false))
            .withCompanions(Map.of(Cifar10.TEST_FILE, cifarBatch(3), Cifar10.META_FILE, cifarMeta()));

    static final FuzzTarget IMAGE_FILES = new FuzzTarget("ImageFiles.read", imageSeeds("img.png"),
            Mutations.binary(40), (dir, file) -> ImageFiles.read(file)).withAllocationFactor(0);

    /** An image folder's one evaluation image, read, decoded and transformed by the streaming loader. */
    static final FuzzTarget IMAGE_FOLDER = new FuzzTarget("StreamingLoader (val/)", imageSeeds("val/cls/img.png"),
            Mutations.binary(40), (dir, file) -> {
                StreamingLoader loader = new StreamingLoader(FileIndex.of(dir, false),
                        ImageTransform.eval(8, Resample.Filter.BICUBIC), 1, false, 0, Files.size(file) % 2 == 0 ? 1 : 3,
                        List.of(0.5), List.of(0.25), 1);
                try (EpochIterator it = loader.epoch(0)) {
                    return it.next();
                }
            }).withAllocationFactor(0);

    static final FuzzTarget CONFIG = new FuzzTarget("SpinConfig.withYaml", configSeeds(), Mutations.text(),
            (dir, file) -> SpinConfig.defaults().withYaml(file));

    static final FuzzTarget SWEEP_SPEC = new FuzzTarget("SweepSpec.read", sweepSeeds(), Mutations.text(),
            (dir, file) -> SweepSpec.read(file));

    static final FuzzTarget RUN_RESULTS = new FuzzTarget("RunResults.read", resultSeeds(), Mutations.text(),
            (dir, file) -> RunResults.read(dir))
            .withCompanions(Map.of("runs/b/result.json", utf8(result("b", "done")), "runs/c/result.json",
                    utf8(result("c", "failed"))))
            .withCheck((sweep, dir) -> FuzzRunner.linesProblem(((Sweep) sweep).warnings(), dir));

    static final FuzzTarget RESULT_FILE = new FuzzTarget("ResultFile.status/error", resultSeeds(), Mutations.text(),
            (dir, file) -> Arrays.asList(ResultFile.status(file.getParent()), ResultFile.error(file.getParent())));

    static final List<FuzzTarget> ALL = List.of(SAFETENSORS, WEIGHT_FILES, TORCH_STATE_DICT, TORCH_TOP_LEVEL, IDX,
            FASHION_MNIST, CIFAR10, IMAGE_FILES, IMAGE_FOLDER, CONFIG, SWEEP_SPEC, RUN_RESULTS, RESULT_FILE);

    private Targets() {}

    // --- safetensors and weights -------------------------------------------------------------

    /**
     * The reference files as stored, plus a small file of every dtype with metadata, each also
     * with its JSON header as the content: edits there keep the length prefix right, so they
     * reach the header's validation instead of stopping at the length check.
     */
    private static List<Seed> safetensorsSeeds() {
        List<Seed> seeds = new ArrayList<>();
        List<String> names = List.of("convmixer_plain.safetensors", "ws_seq_sr2.input.safetensors",
                "wf_mean_sr2.logits.safetensors");
        for (String name : names) {
            byte[] bytes = read(Fixtures.reference(name));
            seeds.add(Seed.plain(name, "w.safetensors", bytes));
            seeds.add(headerSeed(name + " header", bytes));
        }
        byte[] mixed = mixedSafetensors();
        seeds.add(Seed.plain("mixed dtypes", "w.safetensors", mixed));
        seeds.add(headerSeed("mixed dtypes header", mixed));
        return seeds;
    }

    private static Seed headerSeed(String name, byte[] file) {
        long length = ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        byte[] header = Arrays.copyOfRange(file, 8, 8 + (int) length);
        byte[] data = Arrays.copyOfRange(file, 8 + (int) length, file.length);
        return new Seed(name, "w.safetensors", header, h -> {
            ByteBuffer out = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
            return out.putLong(h.length).put(h).put(data).array();
        });
    }

    private static byte[] mixedSafetensors() {
        Map<String, HostTensor> tensors = new LinkedHashMap<>();
        for (DType t : DType.values()) {
            long[] shape = {2, 3};
            tensors.put("t." + t.name().toLowerCase(), new HostTensor(t, shape, new byte[6 * t.byteSize()]));
        }
        tensors.put("scalar", HostTensor.ofFloats(new long[0], new float[] {1f}));
        tensors.put("empty", new HostTensor(DType.F32, new long[] {0, 4}, new byte[0]));
        return viaFile("mixed.safetensors", f -> SafeTensors.write(f, tensors, Map.of("spin.config", "{}", "format", "pt")));
    }

    private static List<Seed> weightFileSeeds() {
        return List.of(
                Seed.plain("logits.safetensors", "w.bin", read(Fixtures.reference("wf_mean_sr2.logits.safetensors"))),
                Seed.plain("mixed.safetensors", "w.bin", mixedSafetensors()),
                Seed.plain("convmixer_plain.pth", "w.bin", read(Fixtures.reference("convmixer_plain.pth"))),
                Seed.plain("ws_seq_sr2.ckpt.pth", "w.bin", read(Fixtures.reference("ws_seq_sr2.ckpt.pth"))));
    }

    // --- PyTorch checkpoints -----------------------------------------------------------------

    /**
     * Each reference checkpoint as stored, and with its pickle or a storage record as the
     * content, re-zipped after the edit so that it gets past the zip layer.
     */
    private static List<Seed> torchSeeds() {
        List<Seed> seeds = new ArrayList<>();
        for (String name : List.of("convmixer_plain.pth", "ws_seq_sr2.ckpt.pth", "wf_mean_sr2.pth")) {
            Path file = Fixtures.reference(name);
            seeds.add(Seed.plain(name, "m.pth", read(file)));
            Map<String, byte[]> entries = zipEntries(file);
            String pickle = entries.keySet().stream().filter(n -> n.endsWith("/data.pkl")).findFirst().orElseThrow();
            seeds.add(zipEntrySeed(name + " data.pkl", entries, pickle));
            String storage = entries.keySet().stream().filter(n -> n.contains("/data/")).findFirst().orElseThrow();
            seeds.add(zipEntrySeed(name + " " + storage.substring(storage.indexOf('/') + 1), entries, storage));
        }
        return seeds;
    }

    private static Seed zipEntrySeed(String name, Map<String, byte[]> entries, String entry) {
        UnaryOperator<byte[]> rezip = content -> {
            Map<String, byte[]> copy = new LinkedHashMap<>(entries);
            copy.put(entry, content);
            return zip(copy);
        };
        return new Seed(name, "m.pth", entries.get(entry), rezip);
    }

    private static Map<String, byte[]> zipEntries(Path file) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (ZipEntry e : zip.stream().toList()) {
                try (InputStream in = zip.getInputStream(e)) {
                    entries.put(e.getName(), in.readAllBytes());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }

    /** Stored, not deflated, as torch.save writes them. */
    private static byte[] zip(Map<String, byte[]> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(e.getValue().length);
                CRC32 crc = new CRC32();
                crc.update(e.getValue());
                entry.setCrc(crc.getValue());
                out.putNextEntry(entry);
                out.write(e.getValue());
                out.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    // --- IDX and CIFAR-10 ----------------------------------------------------------------------

    private static List<Seed> idxSeeds() {
        return List.of(
                Seed.plain("images", IMAGES, idxImages()),
                Seed.plain("labels", LABELS, idxLabels()),
                new Seed("images.gz", IMAGES, idxImages(), Targets::gzip),
                new Seed("labels.gz", LABELS, idxLabels(), Targets::gzip));
    }

    private static byte[] idxImages() {
        int n = 4;
        int side = 28;
        ByteBuffer b = ByteBuffer.allocate(16 + n * side * side);
        b.putInt(0x803).putInt(n).putInt(side).putInt(side);
        for (int i = 0; i < n * side * side; i++) {
            b.put((byte) (i * 7));
        }
        return b.array();
    }

    private static byte[] idxLabels() {
        return ByteBuffer.allocate(12).putInt(0x801).putInt(4).put(new byte[] {9, 0, 4, 1}).array();
    }

    private static List<Seed> cifarSeeds() {
        return List.of(Seed.plain("test_batch.bin", Cifar10.TEST_FILE, cifarBatch(3)),
                Seed.plain("batches.meta.txt", Cifar10.META_FILE, cifarMeta()));
    }

    private static byte[] cifarBatch(int records) {
        byte[] bytes = new byte[records * Cifar10.RECORD];
        for (int r = 0; r < records; r++) {
            bytes[r * Cifar10.RECORD] = (byte) (r * 3 % 10);
            for (int p = 1; p < Cifar10.RECORD; p++) {
                bytes[r * Cifar10.RECORD + p] = (byte) (r * 31 + p * 13);
            }
        }
        return bytes;
    }

    private static byte[] cifarMeta() {
        return utf8(String.join("\n", Cifar10.CLASS_NAMES) + "\n\n");
    }

    // --- images ----------------------------------------------------------------------------------

    /** Every kind of file ImageIO reads: PNG (gray, 16-bit gray, RGB, RGBA), JPEG (RGB, gray), BMP, GIF. */
    private static List<Seed> imageSeeds(String fileName) {
        List<Seed> seeds = new ArrayList<>();
        seeds.add(Seed.plain("gray.png", fileName, image(BufferedImage.TYPE_BYTE_GRAY, 20, 12, "png")));
        seeds.add(Seed.plain("gray16.png", fileName, image(BufferedImage.TYPE_USHORT_GRAY, 9, 9, "png")));
        seeds.add(Seed.plain("rgb.png", fileName, image(BufferedImage.TYPE_INT_RGB, 16, 16, "png")));
        seeds.add(Seed.plain("rgba.png", fileName, image(BufferedImage.TYPE_INT_ARGB, 7, 13, "png")));
        seeds.add(Seed.plain("rgb.jpg", fileName, image(BufferedImage.TYPE_INT_RGB, 24, 16, "jpg")));
        seeds.add(Seed.plain("gray.jpg", fileName, image(BufferedImage.TYPE_BYTE_GRAY, 16, 16, "jpg")));
        seeds.add(Seed.plain("rgb.bmp", fileName, image(BufferedImage.TYPE_INT_RGB, 8, 8, "bmp")));
        seeds.add(Seed.plain("indexed.gif", fileName, image(BufferedImage.TYPE_BYTE_INDEXED, 8, 8, "gif")));
        return seeds;
    }

    private static byte[] image(int type, int width, int height, String format) {
        BufferedImage im = new BufferedImage(width, height, type);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                im.setRGB(x, y, 0xFF000000 | (x * 40 << 16) | (y * 30 << 8) | ((x + y) * 20 & 0xFF));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(im, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    // --- YAML and JSON ---------------------------------------------------------------------------

    /** The repository's config files and a dump of every key. */
    private static List<Seed> configSeeds() {
        List<Seed> seeds = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("configs"))) {
            files.filter(f -> f.toString().endsWith(".yaml") && !f.startsWith(Path.of("configs", "sweeps"))).sorted()
                    .forEach(f -> seeds.add(Seed.plain(f.toString(), "cfg.yaml", read(f))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        seeds.add(Seed.plain("defaults dump", "cfg.yaml", utf8(SpinConfig.defaults().toYaml())));
        return seeds;
    }

    private static List<Seed> sweepSeeds() {
        return List.of(
                Seed.plain("fmnist_convmixer.yaml", "sweep.yaml", read(Path.of("configs", "sweeps", "fmnist_convmixer.yaml"))),
                Seed.plain("small sweep", "sweep.yaml", utf8("""
                        base: ../fashion_mnist/convmixer_64_8.yaml
                        preset: convmixer_64_8
                        output: runs/sweeps/small
                        set: {SOLVER.MAX_EPOCH: 1, DATA.MEAN: [0.5]}
                        grid:
                          CONVMIXER.CHANNEL: [32, 64]
                          RNG_SEED: 0
                        points:
                          - {CONVMIXER.DEPTH: 4, DATA.STD: [[0.3], [0.2]]}
                        """)));
    }

    private static List<Seed> resultSeeds() {
        return List.of(Seed.plain("done", "runs/a/result.json", utf8(result("a", "done"))),
                Seed.plain("failed", "runs/a/result.json", utf8(result("a", "failed"))),
                Seed.plain("running", "runs/a/result.json", utf8("{\"run\": \"a\", \"status\": \"running\"}\n")));
    }

    private static String result(String run, String status) {
        boolean done = status.equals("done");
        return "{\n  \"run\": \"" + run + "\",\n  \"status\": \"" + status + "\",\n  \"error\": "
                + (done ? "null" : "\"loss is NaN at step 12\"") + ",\n"
                + "  \"settings\": {\"CONVMIXER.CHANNEL\": 64, \"CONVMIXER.WEIGHT_SHARE.SHARE_RATE\": 2, \"DATA.MEAN\": [0.5],"
                + " \"RNG_SEED\": 0},\n"
                + "  \"config\": {\"SOLVER.BASE_LR\": 0.01, \"CONVMIXER.WEIGHT_SHARE.REDUCTION_FN\": null},\n"
                + "  \"arch\": \"convmixer\",\n  \"shared\": true,\n  \"fusion\": false,\n  \"teacher\": null,\n"
                + "  \"unique_params\": 33098,\n  \"unshared_params\": 49738,\n  \"macs\": 8982144,\n"
                + "  \"top1\": " + (done ? "0.8646" : "null") + ",\n  \"top5\": 0.998,\n  \"best_top1\": 0.8646,\n"
                + "  \"epochs\": 1,\n  \"wall_seconds\": 190.2\n}\n";
    }

    // --- helpers ---------------------------------------------------------------------------------

    private static byte[] gzip(byte[] plain) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] viaFile(String name, java.util.function.Consumer<Path> writer) {
        try {
            Path dir = Files.createTempDirectory("spin-fuzz-seed");
            Path file = dir.resolve(name);
            writer.accept(file);
            byte[] bytes = Files.readAllBytes(file);
            Files.delete(file);
            Files.delete(dir);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
