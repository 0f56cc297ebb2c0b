package org.spin.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.spin.SpinException;

/**
 * The image files of one split of an ImageNet-layout folder ({@code ROOT/train/<class>/...},
 * {@code ROOT/val/<class>/...}) and their labels: all that a streaming loader keeps in memory.
 * The paths are packed into one UTF-8 array (ImageNet's 1.28 million training paths take about
 * 40 MB so, against some 300 MB as {@code Path} objects).
 *
 * <p>Labels follow torchvision's {@code ImageFolder}: one sub-folder per class, classes sorted by
 * name, label = index; each class folder is searched recursively for {@code .jpg}, {@code .jpeg}
 * and {@code .png} files (any case), in order of their path. Names starting with a dot
 * ({@code .ipynb_checkpoints}, macOS's {@code ._x.jpg}) are skipped. When both splits exist they
 * must hold the same classes, and no class folder may be empty.
 */
public final class FileIndex {

    public static final String TRAIN = "train";
    public static final String VAL = "val";
    public static final List<String> EXTENSIONS = List.of(".jpg", ".jpeg", ".png");

    private final Path split;
    private final byte[] names;
    private final int[] offsets;
    private final int[] labels;
    private final List<String> classNames;

    private FileIndex(Path split, byte[] names, int[] offsets, int[] labels, List<String> classNames) {
        this.split = split;
        this.names = names;
        this.offsets = offsets;
        this.labels = labels;
        this.classNames = List.copyOf(classNames);
    }

    /**
     * The {@code train} or {@code val} split of {@code root}. The classes are {@code train/}'s;
     * {@code val/} alone (no {@code train/}) is read for evaluating elsewhere.
     */
    public static FileIndex of(Path root, boolean train) {
        Path split = root.resolve(train ? TRAIN : VAL);
        requireDirectory(root, split);
        List<String> classes = classNames(root);
        List<byte[]> paths = new ArrayList<>();
        List<Integer> labelList = new ArrayList<>();
        for (int label = 0; label < classes.size(); label++) {
            Path dir = split.resolve(classes.get(label));
            List<String> images = images(dir);
            if (images.isEmpty()) {
                throw new SpinException("image folder " + dir + " has no images; expected "
                        + String.join("/", EXTENSIONS) + " files in every class folder");
            }
            for (String image : images) {
                paths.add((classes.get(label) + "/" + image).getBytes(StandardCharsets.UTF_8));
                labelList.add(label);
            }
        }
        int[] offsets = new int[paths.size() + 1];
        long total = 0;
        for (int i = 0; i < paths.size(); i++) {
            total += paths.get(i).length;
            if (total > Integer.MAX_VALUE - 8) {
                throw new SpinException("image folder " + split + " has more file names than one index holds (2 GiB)");
            }
            offsets[i + 1] = (int) total;
        }
        byte[] names = new byte[(int) total];
        for (int i = 0; i < paths.size(); i++) {
            System.arraycopy(paths.get(i), 0, names, offsets[i], paths.get(i).length);
        }
        return new FileIndex(split, names, offsets, labelList.stream().mapToInt(Integer::intValue).toArray(), classes);
    }

    /**
     * The class names, index = label: {@code train/}'s sub-folders (else {@code val/}'s), sorted.
     * With both splits present, their class folders must be the same.
     */
    public static List<String> classNames(Path root) {
        Path train = root.resolve(TRAIN);
        Path val = root.resolve(VAL);
        boolean hasTrain = Files.isDirectory(train);
        Path split = hasTrain ? train : val;
        requireDirectory(root, split);
        List<String> names = subfolders(split);
        if (names.isEmpty()) {
            throw new SpinException("image folder " + split + " has no class folders; expected one sub-folder"
                    + " per class holding its .jpg/.jpeg/.png images");
        }
        if (hasTrain && Files.isDirectory(val)) {
            List<String> valNames = subfolders(val);
            if (!valNames.equals(names)) {
                TreeSet<String> onlyTrain = new TreeSet<>(names);
                onlyTrain.removeAll(valNames);
                TreeSet<String> onlyVal = new TreeSet<>(valNames);
                onlyVal.removeAll(names);
                throw new SpinException("image folder " + root + ": " + TRAIN + "/ and " + VAL + "/ hold different"
                        + " classes (only in " + TRAIN + "/: " + excerpt(onlyTrain) + "; only in " + VAL + "/: "
                        + excerpt(onlyVal) + "); expected the same class folders in both splits");
            }
        }
        return List.copyOf(names);
    }

    private static String excerpt(TreeSet<String> names) {
        if (names.isEmpty()) {
            return "none";
        }
        List<String> first = names.stream().limit(3).toList();
        return String.join(", ", first) + (names.size() > 3 ? " and " + (names.size() - 3) + " more" : "");
    }

    /** Images in the split. */
    public int size() {
        return labels.length;
    }

    /** Image {@code i}'s file. */
    public Path file(int i) {
        return split.resolve(new String(names, offsets[i], offsets[i + 1] - offsets[i], StandardCharsets.UTF_8));
    }

    public int label(int i) {
        return labels[i];
    }

    public int[] labels() {
        return labels.clone();
    }

    public List<String> classNames() {
        return classNames;
    }

    /** The split's folder, e.g. {@code ROOT/train}. */
    public Path split() {
        return split;
    }

    /** The first {@code count} images (all of them when there are fewer). */
    public FileIndex head(int count) {
        int n = Math.min(count, size());
        return new FileIndex(split, Arrays.copyOf(names, offsets[n]), Arrays.copyOf(offsets, n + 1),
                Arrays.copyOf(labels, n), classNames);
    }

    private static void requireDirectory(Path root, Path split) {
        if (!Files.isDirectory(split)) {
            throw new SpinException("image folder " + split + " not found; expected DATA.PATH_TO_DATA_DIR (" + root
                    + ") to hold " + TRAIN + "/<class>/*.jpg|png and " + VAL + "/<class>/*.jpg|png");
        }
    }

    /** The names of the sub-folders of {@code dir}, sorted, hidden ones left out. */
    private static List<String> subfolders(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("."))
                    .sorted().toList();
        } catch (IOException e) {
            throw new SpinException("image folder " + dir + " could not be listed: " + e.getMessage(), e);
        }
    }

    /** The image files under a class folder, recursively, as paths relative to it, sorted. */
    private static List<String> images(Path classDir) {
        try (Stream<Path> s = Files.walk(classDir, FileVisitOption.FOLLOW_LINKS)) {
            return s.filter(p -> !p.equals(classDir))
                    .filter(p -> !hiddenBelow(classDir, p) && isImageName(p) && Files.isRegularFile(p))
                    .map(p -> classDir.relativize(p).toString()).sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            throw new SpinException("image folder " + classDir + " could not be listed: " + e.getMessage(), e);
        }
    }

    private static boolean isImageName(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(name::endsWith);
    }

    private static boolean hiddenBelow(Path dir, Path p) {
        for (Path part : dir.relativize(p)) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }
}
