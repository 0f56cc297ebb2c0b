package org.spin.data;

/** One uint8 image, channel-major (C×H×W), as the transforms pass it along. */
public record Pixels(byte[] data, int channels, int height, int width) {

    public Pixels {
        if (channels < 1 || height < 1 || width < 1 || data.length != channels * height * width) {
            throw new IllegalArgumentException("image has " + data.length + " bytes, expected C*H*W = " + channels + "*"
                    + height + "*" + width);
        }
    }

    /** The window of {@code height}×{@code width} pixels from ({@code top}, {@code left}), which must lie inside. */
    public Pixels crop(int top, int left, int height, int width) {
        if (top < 0 || left < 0 || height < 1 || width < 1 || top + height > this.height || left + width > this.width) {
            throw new IllegalArgumentException("crop " + height + "x" + width + " at (" + top + ", " + left
                    + ") is outside the " + this.height + "x" + this.width + " image");
        }
        if (top == 0 && left == 0 && height == this.height && width == this.width) {
            return this;
        }
        byte[] out = new byte[channels * height * width];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < height; y++) {
                System.arraycopy(data, (c * this.height + top + y) * this.width + left, out, (c * height + y) * width, width);
            }
        }
        return new Pixels(out, channels, height, width);
    }

    public Pixels resize(int height, int width, Resample.Filter filter) {
        return new Pixels(Resample.resize(data, channels, this.height, this.width, height, width, filter), channels, height,
                width);
    }

    /** Mirrored left to right. */
    public Pixels flipped() {
        byte[] out = new byte[data.length];
        for (int row = 0; row < channels * height; row++) {
            int at = row * width;
            for (int x = 0; x < width; x++) {
                out[at + x] = data[at + width - 1 - x];
            }
        }
        return new Pixels(out, channels, height, width);
    }
}
