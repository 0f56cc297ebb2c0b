package org.spin.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.spin.SpinException;

/**
 * Loads Fashion-MNIST from the four IDX files, gzip'd or not.
 *
 * <p>Looks first in the configured directory (DATA.PATH_TO_DATA_DIR) and then in the directory
 * the Debian package {@value #DEBIAN_PACKAGE} installs, so a plain {@code apt-get install} is
 * enough to train without any configuration. Labels are checked against the ten classes here,
 * where the file name is still known, so a corrupt label never surfaces later as a cryptic
 * index error inside the loss.
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
     * Loads the train (60k) or test (10k) split from {@code dirOrNull} if it holds the files, else
     * from {@link #DEFAULT_DIR}. A null or empty path means "default only".
     */
    public static ImageSet load(Path dirOrNull, boolean train) {
        return load(dirOrNull, train, DEFAULT_DIR);
    }

    static ImageSet load(Path dirOrNull, boolean train, Path defaultDir) {
        String prefix = train ? "train" : "t10k";
        String imagesName = prefix + "-images-idx3-ubyte";
        String labelsName = prefix + "-labels-idx1-ubyte";
        Path dir = dirOrNull == null || dirOrNull.toString().isEmpty() ? null : dirOrNull;

        Path[] files = dir == null ? null : find(dir, imagesName, labelsName);
        if (files == null) {
            files = find(defaultDir, imagesName, labelsName);
        }
        if (files == null) {
            String split = train ? "train" : "test";
            String where = dir == null
                    ? CONFIG_KEY + " is empty and " + defaultDir + " does not have them"
                    : "looked in " + dir + " (" + CONFIG_KEY + ") and in " + defaultDir;
            throw new SpinException("Fashion-MNIST " + split + " files " + imagesName + "[.gz] and "
                    + labelsName + "[.gz] not found: " + where + "; install the Debian package "
                    + DEBIAN_PACKAGE + " (apt-get install " + DEBIAN_PACKAGE + ") or set " + CONFIG_KEY
                    + " to a directory holding them");
        }
        return read(files[0], files[1]);
    }

    /** Reads an images/labels pair; exposed for callers that know the exact files. */
    public static ImageSet read(Path imagesFile, Path labelsFile) {
        IdxArray images = IdxReader.read(imagesFile, 3);
        IdxArray labels = IdxReader.read(labelsFile, 1);
        int n = images.dim(0);
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
     * there. Only one present is an error: silently falling back to another directory would
     * train on data the user did not point at.
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
