package org.spin.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.spin.SpinException;

/**
 * Loads Fashion-MNIST from the four IDX files, gzip'd or not.
 *
 * <p>With {@code DATA.PATH_TO_DATA_DIR} set, the files are read from that folder and nowhere
 * else: a folder that does not exist or lacks them is an error, never a silent switch to other
 * data. Left empty, they come from the folder the Debian package {@value #DEBIAN_PACKAGE}
 * installs, so a plain {@code apt-get install} is enough to train without any configuration.
 * Labels are checked against the ten classes here, where the file name is still known, so a
 * corrupt label never surfaces later as a cryptic index error inside the loss.
 */
public final class FashionMnist {

    /** Where {@value #DEBIAN_PACKAGE} puts the files. */
    public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    public static final String DEBIAN_PACKAGE = "dataset-fashion-mnist";
    public static final String CONFIG_KEY = "DATA.PATH_TO_DATA_DIR";
    public static final List<String> CLASS_NAMES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private FashionMnist() {}

    /** Same as {@link #load(Path, boolean)}, for a config string where empty means default. */
    public static ImageSet load(String dirOrEmpty, boolean train) {
        return load(dirOrEmpty == null || dirOrEmpty.isBlank() ? null : Path.of(dirOrEmpty.trim()), train);
    }

    /**
     * Loads the train (60k) or test (10k) split from {@code dirOrNull}, or from {@link #DEFAULT_DIR}
     * when it is null.
     */
    public static ImageSet load(Path dirOrNull, boolean train) {
        return load(dirOrNull, train, DEFAULT_DIR);
    }

    static ImageSet load(Path dirOrNull, boolean train, Path defaultDir) {
        String prefix = train ? "train" : "t10k";
        String imagesName = prefix + "-images-idx3-ubyte";
        String labelsName = prefix + "-labels-idx1-ubyte";
        String split = train ? "train" : "test";
        String expected = imagesName + "[.gz] and " + labelsName + "[.gz]";
        if (dirOrNull == null || dirOrNull.toString().isEmpty()) {
            Path[] files = find(defaultDir, imagesName, labelsName);
            if (files == null) {
                throw new MissingDataSet("Fashion-MNIST " + split + " files " + expected + " not found in "
                        + defaultDir + " (" + CONFIG_KEY + " is empty); install the Debian package " + DEBIAN_PACKAGE
                        + " (apt-get install " + DEBIAN_PACKAGE + ") or set " + CONFIG_KEY
                        + " to a folder holding them", DEBIAN_PACKAGE);
            }
            return read(files[0], files[1]);
        }
        if (!Files.isDirectory(dirOrNull)) {
            throw new SpinException(CONFIG_KEY + " " + dirOrNull + (Files.exists(dirOrNull) ? " is not a folder" : " does not exist")
                    + "; expected a folder holding Fashion-MNIST's " + expected + " (leave it empty for the Debian"
                    + " package's " + defaultDir + ")");
        }
        Path[] files = find(dirOrNull, imagesName, labelsName);
        if (files == null) {
            throw new SpinException(CONFIG_KEY + " " + dirOrNull + " has no Fashion-MNIST " + split + " files; expected "
                    + expected + " there");
        }
        return read(files[0], files[1]);
    }

    /**
     * Whether the {@code train} split can be read from {@code dirOrNull} (null: the Debian package's
     * folder) without an error about missing files; the files' contents are not checked.
     */
    public static boolean present(Path dirOrNull) {
        Path dir = dirOrNull == null ? DEFAULT_DIR : dirOrNull;
        return existing(dir, "train-images-idx3-ubyte") != null && existing(dir, "t10k-images-idx3-ubyte") != null;
    }

    /** Reads an images/labels pair; exposed for callers that know the exact files. */
    public static ImageSet read(Path imagesFile, Path labelsFile) {
        IdxArray images = IdxReader.read(imagesFile, 3);
        IdxArray labels = IdxReader.read(labelsFile, 1);
        int n = images.dim(0);
        if (images.dim(1) < 1 || images.dim(2) < 1) {
            throw new SpinException("Fashion-MNIST images file " + imagesFile + " declares images of " + images.dim(1)
                    + "x" + images.dim(2) + " pixels; expected at least 1x1 (28x28 for Fashion-MNIST)");
        }
        if (labels.dim(0) != n) {
            throw new SpinException("Fashion-MNIST images file " + imagesFile + " has " + n
                    + " images but labels file " + labelsFile + " has " + labels.dim(0)
                    + " labels; expected the same count (mixed-up or truncated download?)");
        }
        byte[] raw = labels.data();
        int[] ints = new int[n];
        for (int i = 0; i < n; i++) {
            int label = raw[i] & 0xff;
            if (label >= CLASS_NAMES.size()) {
                throw new SpinException("Fashion-MNIST labels file " + labelsFile + " has label " + label
                        + " at index " + i + "; expected 0.." + (CLASS_NAMES.size() - 1));
            }
            ints[i] = label;
        }
        return new ImageSet(images.data(), ints, n, 1, images.dim(1), images.dim(2), CLASS_NAMES);
    }

    /**
     * Both files of a split in {@code dir} (plain preferred over .gz), null when neither is
     * there. Only one present is an error: a half-copied folder should say which file is missing.
     */
    private static Path[] find(Path dir, String imagesName, String labelsName) {
        Path images = existing(dir, imagesName);
        Path labels = existing(dir, labelsName);
        if (images == null && labels == null) {
            return null;
        }
        if (images == null || labels == null) {
            throw new SpinException("Fashion-MNIST directory " + dir + " has "
                    + (images != null ? images.getFileName() : labels.getFileName()) + " but no "
                    + (images == null ? imagesName : labelsName) + "[.gz]; expected both files");
        }
        return new Path[] {images, labels};
    }

    private static Path existing(Path dir, String name) {
        Path plain = dir.resolve(name);
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        Path gz = dir.resolve(name + ".gz");
        return Files.isRegularFile(gz) ? gz : null;
    }
}
