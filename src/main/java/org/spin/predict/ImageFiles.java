package org.spin.predict;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.spin.SpinException;

/** Reads an image file through DJL's {@link ImageFactory}, with errors a user can act on. */
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
            return ImageFactory.getInstance().fromFile(file);
        } catch (IOException | RuntimeException e) {
            // ImageIO answers null (DJL: an IOException) for a format it does not know, and
            // decoders throw all kinds of runtime exceptions on corrupt data.
            throw new SpinException(file + ": not a readable image; expected a PNG or JPEG file", e);
        }
    }
}
