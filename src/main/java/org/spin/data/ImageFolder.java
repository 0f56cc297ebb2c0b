package org.spin.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.spin.SpinException;

/**
 * Images in the ImageNet layout, {@code ROOT/train/<class>/...} and {@code ROOT/val/<class>/...},
 * decoded once into memory as an {@link ImageSet} (see {@link ImageDecoder} for the crop, resize
 * and channels).
 *
 * <p>Labels follow torchvision's {@code ImageFolder}: one sub-folder per class, classes sorted by
 * name, label = index; each class folder is searched recursively for {@code .jpg}, {@code .jpeg}
 * and {@code .png} files (any case), taken in order of their path. The classes come from
 * {@code train/} for both splits, so a {@code val/} that lacks a class still labels the others
 * as training did; {@code val/} alone is used only when there is no {@code train/} (evaluating
 * elsewhere). Names starting with a dot ({@code .ipynb_checkpoints}, macOS's {@code ._x.jpg}) are
 * skipped: they are never classes or images.
 *
 * <p>Decoding runs on a fixed pool of threads, each file's sample written to its own slot, so the
 * set is the same whatever the thread count and scheduling.
 */
public final class ImageFolder {

    public static final String TRAIN = "train";
    public static final String VAL = "val";
    public static final List<String> EXTENSIONS = List.of(".jpg", ".jpeg", ".png");

    private static final AtomicInteger POOLS = new AtomicInteger();

    /** One split's files in label order and each file's label. */
    record Listing(List<Path> files, int[] labels, List<String> classNames) {}

    private ImageFolder() {}

    /**
     * The {@code train} or {@code val} split of {@code root} as {@code channels}×side×side images.
     *
     * @param channels 1 (gray) or 3 (RGB)
     * @param threads decoding threads, at least 1
     */
    public static ImageSet load(Path root, boolean train, int side, int channels, int threads) {
        if (channels != 1 && channels != 3) {
            throw new SpinException("DATA.INPUT_CHANNEL_NUM " + channels + " cannot be read from image files;"
                    + " expected 1 (gray) or 3 (RGB)");
        }
        if (side < 1) {
            throw new SpinException("DATA.TRAIN_CROP_SIZE " + side + " must be at least 1 pixel");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        Listing listing = list(root, train);
        int n = listing.files().size();
        long bytes = (long) n * channels * side * side;
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new SpinException("image folder " + root.resolve(train ? TRAIN : VAL) + " has " + n + " images of "
                    + channels + "x" + side + "x" + side + " = " + bytes + " bytes, more than one in-memory array"
                    + " holds (2 GiB); expected a smaller DATA.TRAIN_CROP_SIZE or a subset of the images");
        }
        byte[] pixels = new byte[(int) bytes];
        decodeAll(listing.files(), pixels, channels, side, threads);
        return new ImageSet(pixels, listing.labels(), n, channels, side, side, listing.classNames());
    }

    /** The class names, index = label: {@code train/}'s sub-folders (else {@code val/}'s), sorted. */
    public static List<String> classNames(Path root) {
        Path split = Files.isDirectory(root.resolve(TRAIN)) ? root.resolve(TRAIN) : root.resolve(VAL);
        requireDirectory(root, split);
        List<String> names = new ArrayList<>();
        for (Path dir : subfolders(split)) {
            names.add(dir.getFileName().toString());
        }
        if (names.isEmpty()) {
            throw new SpinException("image folder " + split + " has no class folders; expected one sub-folder"
                    + " per class holding its .jpg/.jpeg/.png images");
        }
        return List.copyOf(names);
    }

    static Listing list(Path root, boolean train) {
        Path split = root.resolve(train ? TRAIN : VAL);
        requireDirectory(root, split);
        List<String> classes = classNames(root);
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (Path dir : subfolders(split)) {
            String name = dir.getFileName().toString();
            int label = classes.indexOf(name);
            if (label < 0) {
                throw new SpinException("image folder " + dir + " is a class that " + root.resolve(TRAIN)
                        + " does not have; expected the same class folders in both splits (labels come from "
                        + TRAIN + "/)");
            }
            List<Path> images = images(dir);
            if (images.isEmpty()) {
                throw new SpinException("image folder " + dir + " has no images; expected "
                        + String.join("/", EXTENSIONS) + " files in every class folder");
            }
            files.addAll(images);
            images.forEach(f -> labels.add(label));
        }
        return new Listing(List.copyOf(files), labels.stream().mapToInt(Integer::intValue).toArray(), classes);
    }

    private static void requireDirectory(Path root, Path split) {
        if (!Files.isDirectory(split)) {
            throw new SpinException("image folder " + split + " not found; expected DATA.PATH_TO_DATA_DIR (" + root
                    + ") to hold " + TRAIN + "/<class>/*.jpg|png and " + VAL + "/<class>/*.jpg|png");
        }
    }

    /** The sub-folders of {@code dir}, sorted by name. */
    private static List<Path> subfolders(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).filter(p -> !hidden(p)).sorted(ImageFolder::byName).toList();
        } catch (IOException e) {
            throw new SpinException("image folder " + dir + " could not be listed: " + e.getMessage(), e);
        }
    }

    /** The image files under a class folder, recursively, in order of their path within it. */
    private static List<Path> images(Path classDir) {
        try (Stream<Path> s = Files.walk(classDir, FileVisitOption.FOLLOW_LINKS)) {
            return s.filter(p -> !p.equals(classDir))
                    .filter(p -> !hiddenBelow(classDir, p) && isImageName(p) && Files.isRegularFile(p))
                    .sorted((a, b) -> classDir.relativize(a).toString().compareTo(classDir.relativize(b).toString()))
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            throw new SpinException("image folder " + classDir + " could not be listed: " + e.getMessage(), e);
        }
    }

    private static boolean isImageName(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(name::endsWith);
    }

    private static boolean hidden(Path p) {
        return p.getFileName().toString().startsWith(".");
    }

    private static boolean hiddenBelow(Path dir, Path p) {
        for (Path part : dir.relativize(p)) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static int byName(Path a, Path b) {
        return a.getFileName().toString().compareTo(b.getFileName().toString());
    }

    /**
     * Decodes {@code files[i]} into sample {@code i} of {@code pixels} on {@code threads} threads.
     * Waiting on the tasks in file order makes the reported error the first bad file in that
     * order, whatever thread met it first.
     */
    private static void decodeAll(List<Path> files, byte[] pixels, int channels, int side, int threads) {
        int sample = channels * side * side;
        String prefix = "spin-decode#" + POOLS.incrementAndGet() + "-";
        AtomicInteger ids = new AtomicInteger();
        ThreadFactory daemons = r -> {
            Thread t = new Thread(r, prefix + ids.getAndIncrement());
            t.setDaemon(true);
            return t;
        };
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, Math.max(1, files.size())), daemons);
        try {
            List<Future<?>> done = new ArrayList<>(files.size());
            for (int i = 0; i < files.size(); i++) {
                Path file = files.get(i);
                int at = i * sample;
                done.add(pool.submit(() -> System.arraycopy(ImageDecoder.decode(file, channels, side), 0,
                        pixels, at, sample)));
            }
            for (Future<?> f : done) {
                f.get(); // also publishes the task's writes to this thread
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new SpinException("decoding images failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SpinException("interrupted while decoding the image folder", e);
        } finally {
            pool.shutdownNow();
        }
    }
}
