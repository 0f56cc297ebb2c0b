package org.spin.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;
import org.spin.SpinException;

/**
 * One image file as the uint8 C×S×S sample an image folder contributes: decoded with Java's
 * ImageIO, brought to the model's channels, cut to its largest centred square and resized to S.
 *
 * <p>Cropping to the centre square and then resizing frames the same part of the image as
 * torchvision's {@code Resize(S)} + {@code CenterCrop(S)} (shorter side to S, then the centre),
 * the usual evaluation transform of ImageNet models, without resampling the part that is cut
 * away and without a second rounding of the crop's offset. We crop rather than stretch so objects
 * keep their proportions; {@code predict} does the same for models trained on a folder.
 *
 * <p>Channels follow DJL's reader, which {@code predict} uses: gray is the BT.601 luma
 * {@code round(0.299 R + 0.587 G + 0.114 B)}, a gray image for a colour model is replicated, alpha
 * is dropped. Gray images are read from their samples, not through {@code getRGB}: that
 * colour-converts Java's linear gray and brightens it (the 16-bit PNG pitfall of DJL's reader).
 *
 * <p>Every image file is read through {@link #readImage}, which refuses one whose header declares
 * more than {@link #MAX_PIXELS} pixels before any pixel memory is allocated.
 */
public final class ImageDecoder {

    /**
     * Most pixels an image may have: PIL's default {@code MAX_IMAGE_PIXELS}, 89,478,485
     * (a quarter of 2^30 bytes as 24-bit RGB, about 9459×9459). A phone photo has 12 to 50
     * million; a few bytes of header claiming 100000×100000 would otherwise make the decoder
     * allocate tens of gigabytes before it noticed the data was missing.
     */
    public static final long MAX_PIXELS = 89_478_485L;

    private ImageDecoder() {}

    /**
     * Decodes image 0 of {@code file} like {@link ImageIO#read(java.io.File)}, after checking the
     * size its header declares.
     *
     * @return null when no ImageIO reader recognises the file, as {@code ImageIO.read} does
     * @throws SpinException naming the file when it declares more than {@link #MAX_PIXELS} pixels
     * @throws IOException or a decoder's runtime exception when the file is corrupt or unreadable
     */
    public static BufferedImage readImage(Path file) throws IOException {
        if (!Files.isReadable(file)) {
            throw new IOException("cannot read " + file);
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                throw new IOException("cannot open " + file);
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return null;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long width = reader.getWidth(0);
                long height = reader.getHeight(0);
                if (width * height > MAX_PIXELS) {
                    throw new SpinException(file + ": image of " + width + "x" + height + " = " + width * height
                            + " pixels is larger than the " + MAX_PIXELS + "-pixel limit; expected a smaller image"
                            + " (or a corrupt header)");
                }
                Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
                if ("jpeg".equalsIgnoreCase(reader.getFormatName()) && types.hasNext() && types.next().getNumBands() == 4) {
                    in.seek(0);
                    reader.setInput(in, true, false); // its markers tell CMYK from YCCK
                    return cmykAsRgb(reader);
                }
                return reader.read(0, reader.getDefaultReadParam());
            } finally {
                reader.dispose();
            }
        }
    }

    /**
     * {@code file} at its own size, as gray (1) or RGB (3) channels.
     *
     * @throws SpinException naming the file when it is not an image ImageIO can decode
     */
    public static Pixels read(Path file, int channels) {
        BufferedImage image = readOrThrow(file);
        return new Pixels(channels(image, channels), channels, image.getHeight(), image.getWidth());
    }

    private static BufferedImage readOrThrow(Path file) {
        BufferedImage image;
        try {
            image = readImage(file);
        } catch (SpinException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // corrupt data surfaces as IIOException, or as all kinds of runtime exceptions from decoders
            throw unreadable(file, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
        }
        if (image == null) {
            throw unreadable(file, "no ImageIO reader recognises it", null);
        }
        return image;
    }

    /**
     * A four-channel JPEG as Pillow's {@code convert("RGB")} gives it: the JDK's reader would convert
     * it with a wrong colour space, so its raw samples are read. A YCCK file (Adobe transform 2, as
     * Photoshop writes CMYK) first goes to CMYK as libjpeg converts it; the samples are then taken as
     * Adobe's inverted CMYK (Pillow assumes that for every CMYK JPEG), then Pillow's {@code cmyk2rgb}:
     * each of R, G, B is (255 − K) less its ink times (255 − K) / 255, in Pillow's rounding.
     */
    private static BufferedImage cmykAsRgb(ImageReader reader) throws IOException {
        boolean ycck = false;
        javax.imageio.metadata.IIOMetadata meta = reader.getImageMetadata(0);
        if (meta != null) {
            org.w3c.dom.NodeList adobe = ((org.w3c.dom.Element) meta.getAsTree("javax_imageio_jpeg_image_1.0"))
                    .getElementsByTagName("app14Adobe");
            ycck = adobe.getLength() > 0 && "2".equals(((org.w3c.dom.Element) adobe.item(0)).getAttribute("transform"));
        }
        Raster raster = reader.readRaster(0, null);
        int w = raster.getWidth();
        int h = raster.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
        int[] px = new int[4];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                raster.getPixel(raster.getMinX() + x, raster.getMinY() + y, px);
                if (ycck) {
                    ycckToCmyk(px);
                }
                int nk = px[3]; // 255 − K, stored inverted
                int at = 3 * (y * w + x);
                for (int c = 0; c < 3; c++) {
                    int ink = 255 - px[c];
                    int tmp = ink * nk + 128;
                    int v = nk - (((tmp >> 8) + tmp) >> 8); // MULDIV255
                    bgr[at + 2 - c] = (byte) Math.max(0, Math.min(255, v));
                }
            }
        }
        return out;
    }

    // libjpeg's YCbCr-to-RGB constants, fixed point with 16 fraction bits (jdcolor.c)
    private static final int CR_R = 91881;
    private static final int CB_B = 116130;
    private static final int CR_G = 46802;
    private static final int CB_G = 22554;
    private static final int HALF = 1 << 15;

    /** libjpeg's {@code ycck_cmyk_convert}, in place: C, M, Y are 255 less the YCC colour's R, G, B; K is kept. */
    static void ycckToCmyk(int[] px) {
        int luma = px[0];
        int cb = px[1] - 128;
        int cr = px[2] - 128;
        int r = luma + ((CR_R * cr + HALF) >> 16);
        int g = luma + ((-CB_G * cb + HALF - CR_G * cr) >> 16);
        int b = luma + ((CB_B * cb + HALF) >> 16);
        px[0] = Math.max(0, Math.min(255, 255 - r));
        px[1] = Math.max(0, Math.min(255, 255 - g));
        px[2] = Math.max(0, Math.min(255, 255 - b));
    }

    /** The image as C×H×W bytes, C being 1 (gray) or 3 (RGB). */
    static byte[] channels(BufferedImage image, int channels) {
        int h = image.getHeight();
        int w = image.getWidth();
        int plane = h * w;
        byte[] out = new byte[channels * plane];
        byte[] bgr = packedBgr(image);
        if (bgr != null) {
            // a decoded JPEG's usual layout: read its bytes, which is what getRGB returns for it, 7x faster
            for (int i = 0; i < plane; i++) {
                put(out, plane, i, channels, bgr[3 * i + 2] & 0xff, bgr[3 * i + 1] & 0xff, bgr[3 * i] & 0xff);
            }
            return out;
        }
        if (image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
            Raster raster = image.getRaster();
            float max = (1 << image.getColorModel().getComponentSize(0)) - 1;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    byte level = (byte) Math.round(raster.getSample(x, y, 0) * 255f / max);
                    for (int c = 0; c < channels; c++) {
                        out[c * plane + y * w + x] = level;
                    }
                }
            }
            return out;
        }
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < plane; i++) {
            put(out, plane, i, channels, (argb[i] >> 16) & 0xff, (argb[i] >> 8) & 0xff, argb[i] & 0xff);
        }
        return out;
    }

    /** Pixel i of a C×H×W output: its luma for one channel, else its red, green and blue planes. */
    private static void put(byte[] out, int plane, int i, int channels, int r, int g, int b) {
        if (channels == 1) {
            out[i] = (byte) Math.round(0.299f * r + 0.587f * g + 0.114f * b);
        } else {
            out[i] = (byte) r;
            out[plane + i] = (byte) g;
            out[2 * plane + i] = (byte) b;
        }
    }

    /** The pixel bytes of a plain sRGB {@code TYPE_3BYTE_BGR} image (B, G, R per pixel, rows packed), else null. */
    private static byte[] packedBgr(BufferedImage image) {
        if (image.getType() != BufferedImage.TYPE_3BYTE_BGR
                || !(image.getRaster().getSampleModel() instanceof PixelInterleavedSampleModel m)
                || !(image.getRaster().getDataBuffer() instanceof DataBufferByte buffer)
                || m.getPixelStride() != 3 || m.getScanlineStride() != 3 * image.getWidth()
                || !java.util.Arrays.equals(m.getBandOffsets(), new int[] {2, 1, 0})
                || image.getRaster().getSampleModelTranslateX() != 0 || image.getRaster().getSampleModelTranslateY() != 0
                || buffer.getNumBanks() != 1 || buffer.getOffset() != 0
                || buffer.getData().length < 3 * image.getWidth() * image.getHeight()) {
            return null;
        }
        return buffer.getData();
    }

    private static SpinException unreadable(Path file, String why, Throwable cause) {
        String reason = SpinException.excerpt(why.replaceAll("\\s+", " ").strip());
        return new SpinException(file + ": not a readable image (" + reason + "); expected a PNG or JPEG file", cause);
    }
}
