package org.spin.predict;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/** Image files with known pixels, written through javax.imageio. */
public final class TestImages {

    private TestImages() {}

    /** Random gray levels, [y][x]. */
    public static int[][] randomGray(int height, int width, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[][] g = new int[height][width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                g[y][x] = rng.nextInt(256);
            }
        }
        return g;
    }

    /** Random colours, [y][x][r, g, b]. */
    public static int[][][] randomRgb(int height, int width, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[][][] c = new int[height][width][3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int k = 0; k < 3; k++) {
                    c[y][x][k] = rng.nextInt(256);
                }
            }
        }
        return c;
    }

    /** An 8-bit gray PNG (or JPEG, by the extension). */
    public static Path gray(Path file, int[][] levels) {
        BufferedImage im = new BufferedImage(levels[0].length, levels.length, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < levels.length; y++) {
            for (int x = 0; x < levels[0].length; x++) {
                im.getRaster().setSample(x, y, 0, levels[y][x]);
            }
        }
        return write(im, file);
    }

    /** A 16-bit gray PNG whose samples are the 8-bit levels times 257 (so 255 is 65535). */
    public static Path gray16(Path file, int[][] levels) {
        BufferedImage im = new BufferedImage(levels[0].length, levels.length, BufferedImage.TYPE_USHORT_GRAY);
        for (int y = 0; y < levels.length; y++) {
            for (int x = 0; x < levels[0].length; x++) {
                im.getRaster().setSample(x, y, 0, levels[y][x] * 257);
            }
        }
        return write(im, file);
    }

    public static Path rgb(Path file, int[][][] colours) {
        BufferedImage im = new BufferedImage(colours[0].length, colours.length, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < colours.length; y++) {
            for (int x = 0; x < colours[0].length; x++) {
                int[] c = colours[y][x];
                im.setRGB(x, y, (c[0] << 16) | (c[1] << 8) | c[2]);
            }
        }
        return write(im, file);
    }

    private static Path write(BufferedImage im, Path file) {
        String name = file.getFileName().toString();
        try {
            if (!ImageIO.write(im, name.substring(name.lastIndexOf('.') + 1), file.toFile())) {
                throw new IllegalArgumentException("no ImageIO writer for " + file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
