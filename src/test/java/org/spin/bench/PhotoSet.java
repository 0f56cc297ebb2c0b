package org.spin.bench;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * A natural-image data set in the ImageNet layout, made from real photographs that a Debian
 * package ships (no natural-image data set is packaged): each photograph is cut into
 * non-overlapping tiles of about ImageNet's size (500×375), saved as JPEG at quality 90, one class
 * per photograph; every fifth tile goes to {@code val/} (the last, for a photograph of fewer tiles). The same package gives the same set.
 *
 * <pre>bench/photo-set OUT [TILES_PER_CLASS]</pre>
 */
public final class PhotoSet {

    /** Where Debian's lomiri-wallpapers-16.04 puts its 15 photographs. */
    public static final Path SOURCE = Path.of("/usr/share/backgrounds");
    public static final String PACKAGE = "lomiri-wallpapers-16.04";
    public static final List<String> PHOTOS = List.of("Bridge_by_Sander_Klootwijk.jpg", "Dragonfly_by_Bolly.jpg",
            "Picture_0B_by_freespace.jpg", "Picture_1A_by_freespace.jpg", "Wine_by_Jakkub_Mede.jpg",
            "aitzgorri_by_Aitzol_Berasategi.jpg", "analogpattern_by_Peter_Nerlich.jpg", "free_by_Peter_Nerlich.jpg",
            "friends_by_Aitzol_Berasategi.jpg", "greentock_by_Peter_Nerlich.jpg", "life_by_Aitzol_Berasategi.jpg",
            "picosdeeuropa_by_Aitzol_Berasategi.jpg", "seeding_by_Clements_Engelhardt.jpg",
            "sunset_by_Aitzol_Berasategi.jpg", "umang_by_Abhishek_Mudgal.jpg");
    public static final int TILE_WIDTH = 500;
    public static final int TILE_HEIGHT = 375;
    private static final int VAL_EVERY = 5;

    private PhotoSet() {}

    /** What was written: tiles per split. */
    public record Summary(int classes, int train, int val) {}

    /**
     * Cuts the first {@code classes} photographs into at most {@code tilesPerClass} tiles each
     * (taken evenly over the photograph's grid), into {@code out/train} and {@code out/val}.
     */
    public static Summary build(Path out, int classes, int tilesPerClass) throws IOException {
        int train = 0;
        int val = 0;
        for (String photo : PHOTOS.subList(0, Math.min(classes, PHOTOS.size()))) {
            Path file = SOURCE.resolve(photo);
            if (!Files.isRegularFile(file)) {
                throw new IOException(file + " not found; install the Debian package " + PACKAGE);
            }
            BufferedImage image = ImageIO.read(file.toFile());
            String name = photo.substring(0, photo.indexOf("_by_")).toLowerCase(Locale.ROOT);
            int cols = image.getWidth() / TILE_WIDTH;
            int rows = image.getHeight() / TILE_HEIGHT;
            List<int[]> cells = new ArrayList<>();
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    cells.add(new int[] {r, c});
                }
            }
            int take = Math.min(tilesPerClass, cells.size());
            for (int k = 0; k < take; k++) {
                int[] cell = cells.get((int) ((long) k * cells.size() / take)); // spread over the grid
                // every fifth tile is for validation; a photograph of fewer tiles gives its last one
                boolean forVal = k % VAL_EVERY == VAL_EVERY - 1 || (take < VAL_EVERY && k == take - 1);
                String split = forVal ? "val" : "train";
                Path dir = Files.createDirectories(out.resolve(split).resolve(name));
                BufferedImage tile = image.getSubimage(cell[1] * TILE_WIDTH, cell[0] * TILE_HEIGHT, TILE_WIDTH, TILE_HEIGHT);
                writeJpeg(tile, dir.resolve(String.format("%s_r%02d_c%02d.jpg", name, cell[0], cell[1])));
                if (split.equals("val")) {
                    val++;
                } else {
                    train++;
                }
            }
        }
        return new Summary(Math.min(classes, PHOTOS.size()), train, val);
    }

    private static void writeJpeg(BufferedImage tile, Path file) throws IOException {
        BufferedImage rgb = new BufferedImage(tile.getWidth(), tile.getHeight(), BufferedImage.TYPE_INT_RGB);
        rgb.getGraphics().drawImage(tile, 0, 0, null);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(0.9f);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (ImageOutputStream os = ImageIO.createImageOutputStream(tmp.toFile())) {
            writer.setOutput(os);
            writer.write(null, new IIOImage(rgb, null, null), param);
        } finally {
            writer.dispose();
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: bench/photo-set OUT [TILES_PER_CLASS]");
            System.exit(2);
        }
        int tiles = args.length > 1 ? Integer.parseInt(args[1]) : Integer.MAX_VALUE;
        long t0 = System.nanoTime();
        Summary s = build(Path.of(args[0]), PHOTOS.size(), tiles);
        System.out.printf("photo set %s: %d classes, %,d train and %,d val tiles of %dx%d (JPEG q90), %.0f s%n", args[0],
                s.classes(), s.train(), s.val(), TILE_WIDTH, TILE_HEIGHT, (System.nanoTime() - t0) / 1e9);
    }
}
