package org.spin.predict;

import ai.djl.modality.cv.BufferedImageFactory;
import ai.djl.modality.cv.Image;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;

/**
 * Gray images that are not plain 8-bit (16-bit gray, gray with alpha) as 8-bit gray with the
 * file's own values. DJL reads those through {@code BufferedImage.getRGB}, whose colour
 * conversion takes Java's gray as linear light and brightens it for sRGB: a 16-bit PNG pixel of
 * 128×257 comes out as 188, not 128. Plain 8-bit gray DJL already reads sample by sample.
 */
final class GraySamples {

    private GraySamples() {}

    static Image asEightBit(Image image) {
        if (!(image.getWrappedImage() instanceof BufferedImage b) || b.getType() == BufferedImage.TYPE_BYTE_GRAY
                || b.getColorModel().getColorSpace().getType() != ColorSpace.TYPE_GRAY) {
            return image;
        }
        Raster in = b.getRaster();
        int max = (1 << b.getColorModel().getComponentSize(0)) - 1;
        BufferedImage gray = new BufferedImage(b.getWidth(), b.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < b.getHeight(); y++) {
            for (int x = 0; x < b.getWidth(); x++) {
                // band 0 is gray; a band 1 (alpha) is dropped, as DJL drops colour images' alpha
                gray.getRaster().setSample(x, y, 0, Math.round(in.getSample(x, y, 0) * 255f / max));
            }
        }
        return new BufferedImageFactory().fromImage(gray);
    }
}
