package org.spin.predict;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.spin.SpinException;
import org.spin.data.ImageDecoder;

/**
 * Reads an image file for DJL's {@link ImageFactory}, with errors a user can act on. Decoding goes
 * through {@link ImageDecoder#readImage}, which refuses an image larger than its pixel limit
 * before allocating it.
 */
public final class ImageFiles {

    private ImageFiles() {}

    /** @throws SpinException naming the file and what was expected, in one line */
    public static Image read(Path file) {
        if (Files.isDirectory(file)) {
            throw new SpinException(file + ": is a directory; expected a PNG or JPEG image file");
        }
        if (!Files.exists(file)) {
            throw new SpinException(file + ": no such image file");
        }
        if (!Files.isReadable(file)) {
            throw new SpinException(file + ": cannot be read (permission denied); expected a readable image file");
        }
        try {
            BufferedImage image = ImageDecoder.readImage(file);
            if (image == null) {
                throw new IOException("no ImageIO reader recognises " + file);
            }
            return ImageFactory.getInstance().fromImage(image);
        } catch (SpinException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // ImageIO answers null (DJL: an IOException) for a format it does not know, and
            // decoders throw all kinds of runtime exceptions on corrupt data.
            throw new SpinException(file + ": not a readable image; expected a PNG or JPEG file", e);
        }
    }
}
