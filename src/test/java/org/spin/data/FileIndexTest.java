package org.spin.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spin.SpinException;
import org.spin.predict.TestImages;

class FileIndexTest {

    @TempDir
    Path tmp;

    private Path dir(String... parts) throws Exception {
        return Files.createDirectories(tmp.resolve(String.join("/", parts)));
    }

    private static void image(Path dir, String name, long seed) {
        TestImages.rgb(dir.resolve(name), TestImages.randomRgb(8, 8, seed));
    }

    /**
     * train/: cat (2 PNG), ant (1 PNG, 1 JPEG in a sub-folder), bee (1 PNG, plus files that are no
     * images); val/: the same three classes. Class order is ant, bee, cat.
     */
    private Path tree() throws Exception {
        image(dir("root/train/cat"), "b.png", 1);
        image(dir("root/train/cat"), "a.png", 2);
        image(dir("root/train/ant"), "z.png", 3);
        image(dir("root/train/ant/more"), "x.JPG", 4);
        image(dir("root/train/bee"), "one.png", 5);
        Files.writeString(dir("root/train/bee").resolve("notes.txt"), "not an image");
        Files.writeString(dir("root/train/bee").resolve("._one.png"), "macOS resource fork");
        dir("root/train/.ipynb_checkpoints");
        image(dir("root/val/bee"), "v1.png", 6);
        image(dir("root/val/ant"), "v2.png", 7);
        image(dir("root/val/cat"), "v3.png", 8);
        return tmp.resolve("root");
    }

    @Test
    void classesAreTheSortedFoldersAndFilesComeInPathOrderWithTheirLabels() throws Exception {
        Path root = tree();
        FileIndex train = FileIndex.of(root, true);
        assertThat(train.classNames()).containsExactly("ant", "bee", "cat");
        assertThat(FileIndex.classNames(root)).containsExactly("ant", "bee", "cat");
        assertThat(train.size()).isEqualTo(5);
        assertThat(train.labels()).containsExactly(0, 0, 1, 2, 2);
        assertThat(train.file(0)).isEqualTo(root.resolve("train/ant/more/x.JPG"));
        assertThat(train.file(1)).isEqualTo(root.resolve("train/ant/z.png"));
        assertThat(train.file(3)).isEqualTo(root.resolve("train/cat/a.png"));
        assertThat(train.head(2).size()).isEqualTo(2);
        assertThat(train.head(2).file(1)).isEqualTo(train.file(1));
        FileIndex val = FileIndex.of(root, false);
        assertThat(val.labels()).containsExactly(0, 1, 2);
        assertThat(val.file(2)).isEqualTo(root.resolve("val/cat/v3.png"));
    }

    @Test
    void splitsWithDifferentClassesAreAOneLineErrorNamingTheDifference() throws Exception {
        Path root = tree();
        image(dir("root/val/wasp"), "w.png", 9);
        Files.delete(root.resolve("val/cat/v3.png"));
        Files.delete(root.resolve("val/cat"));
        assertThatThrownBy(() -> FileIndex.of(root, true)).isInstanceOf(SpinException.class)
                .hasMessage("image folder " + root + ": train/ and val/ hold different classes (only in train/: cat;"
                        + " only in val/: wasp); expected the same class folders in both splits");
    }

    @Test
    void aMissingSplitFolderIsAnErrorShowingTheLayout() throws Exception {
        Path root = tree();
        Files.walk(root.resolve("val")).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        assertThat(FileIndex.of(root, true).size()).isEqualTo(5); // training alone needs no val/
        assertThatThrownBy(() -> FileIndex.of(root, false)).isInstanceOf(SpinException.class)
                .hasMessageContaining(root.resolve("val") + " not found")
                .hasMessageContaining("val/<class>/*.jpg|png").hasMessageNotContaining("\n");
    }

    @Test
    void aClassFolderWithoutImagesIsAnError() throws Exception {
        Path root = tree();
        dir("root/train/dog");
        dir("root/val/dog");
        assertThatThrownBy(() -> FileIndex.of(root, true)).isInstanceOf(SpinException.class)
                .hasMessageContaining(root.resolve("train/dog") + " has no images");
    }

    @Test
    void aSplitWithoutClassFoldersIsAnError() throws Exception {
        dir("bare/train");
        assertThatThrownBy(() -> FileIndex.of(tmp.resolve("bare"), true)).isInstanceOf(SpinException.class)
                .hasMessageContaining("has no class folders");
    }
}
