package org.spin.data;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.spin.SpinException;

/**
 * RandAugment (Cubuk et al., 2020) as timm and the reference's SlowFast copy define it, from an
 * {@code AUG.AA_TYPE} string such as {@code rand-m9-mstd0.5-inc1}: {@code n} ops (2) drawn with
 * replacement from the 15 of the policy, each applied with probability 0.5 at a magnitude drawn
 * from N(m, mstd²) clipped to [0, 10]. Each op is Pillow's ({@link PilOps}), geometric ones
 * resampled bicubic (or {@code AUG.INTERPOLATION}) and filled with the mean colour.
 */
public final class RandAugment implements ImageTransform.Colour {

    /** The ops of timm's {@code _RAND_TRANSFORMS}, in its order; {@code inc1} takes the increasing variants. */
    enum Op {
        AUTO_CONTRAST, EQUALIZE, INVERT, ROTATE, POSTERIZE, SOLARIZE, SOLARIZE_ADD, COLOR, CONTRAST, BRIGHTNESS,
        SHARPNESS, SHEAR_X, SHEAR_Y, TRANSLATE_X_REL, TRANSLATE_Y_REL
    }

    static final double MAX_LEVEL = 10.0;
    private static final double TRANSLATE_PCT = 0.45;
    private static final double PROB = 0.5;

    private final double magnitude;
    private final int layers;
    private final double magnitudeStd;
    private final boolean increasing;
    private final int[] fill;
    private final Resample.Filter filter;

    RandAugment(double magnitude, int layers, double magnitudeStd, boolean increasing, int[] fill,
                Resample.Filter filter) {
        this.magnitude = magnitude;
        this.layers = layers;
        this.magnitudeStd = magnitudeStd;
        this.increasing = increasing;
        this.fill = fill.clone();
        this.filter = filter;
    }

    /**
     * The policy of {@code AUG.AA_TYPE}: {@code rand} then dash-separated {@code m} (magnitude, 10),
     * {@code n} (ops per image, 2), {@code mstd} (magnitude noise, 0), {@code inc} (1: the
     * increasing ops; 0: the plain ones). The weighted choice ({@code w}) is not offered.
     *
     * @param mean the normalisation mean, whose colour (255·mean, rounded) fills what a geometric op uncovers
     */
    public static RandAugment parse(String spec, List<Double> mean, Resample.Filter filter) {
        String s = spec == null ? "" : spec.strip().toLowerCase(Locale.ROOT);
        String[] parts = s.split("-");
        if (!parts[0].equals("rand")) {
            throw new SpinException("AUG.AA_TYPE " + spec + " is not a RandAugment policy; expected e.g."
                    + " rand-m9-mstd0.5-inc1 (AutoAugment and AugMix policies are not offered)");
        }
        double m = MAX_LEVEL;
        int n = 2;
        double std = 0;
        boolean inc = false;
        for (int i = 1; i < parts.length; i++) {
            java.util.regex.Matcher k = java.util.regex.Pattern.compile("([a-z]+)(\\d.*)").matcher(parts[i]);
            if (!k.matches()) {
                throw new SpinException("AUG.AA_TYPE " + spec + ": '" + parts[i] + "' is not a setting; expected m<level>,"
                        + " n<ops>, mstd<std> or inc<0|1>");
            }
            try {
                switch (k.group(1)) {
                    case "m" -> m = Double.parseDouble(k.group(2));
                    case "n" -> n = Integer.parseInt(k.group(2));
                    case "mstd" -> std = Double.parseDouble(k.group(2));
                    case "inc" -> inc = Integer.parseInt(k.group(2)) != 0;
                    default -> throw new SpinException("AUG.AA_TYPE " + spec + ": '" + parts[i] + "' is not a setting we"
                            + " offer; expected m<level>, n<ops>, mstd<std> or inc<0|1>");
                }
            } catch (NumberFormatException e) {
                throw new SpinException("AUG.AA_TYPE " + spec + ": '" + parts[i] + "' has no number");
            }
        }
        if (n < 0 || !(m >= 0) || !(std >= 0)) {
            throw new SpinException("AUG.AA_TYPE " + spec + ": ops, magnitude and mstd must not be negative");
        }
        int[] fill = new int[mean.size() == 1 ? 1 : 3];
        for (int c = 0; c < fill.length; c++) {
            fill[c] = (int) Math.min(255, Math.round(255 * mean.get(Math.min(c, mean.size() - 1))));
        }
        return new RandAugment(m, n, std, inc, fill, filter);
    }

    /** The image after {@code n} ops drawn with replacement, each taken with probability 0.5. */
    @Override
    public Pixels apply(Pixels image, SplittableRandom rng) {
        Op[] ops = Op.values();
        int[] chosen = new int[layers];
        for (int i = 0; i < layers; i++) {
            chosen[i] = rng.nextInt(ops.length);
        }
        for (int i : chosen) {
            if (rng.nextDouble() > PROB) {
                continue;
            }
            double level = magnitude;
            if (magnitudeStd > 0) {
                level = level + magnitudeStd * rng.nextGaussian();
            }
            level = Math.min(MAX_LEVEL, Math.max(0, level));
            image = apply(ops[i], image, level, rng);
        }
        return image;
    }

    /** One op at {@code level} (0..10), its sign drawn from {@code rng} where the op has one. */
    Pixels apply(Op op, Pixels x, double level, SplittableRandom rng) {
        double f = level / MAX_LEVEL;
        int[] fillColour = fill.length == x.channels() ? fill : new int[] {fill[0], fill[0], fill[0]};
        return switch (op) {
            case AUTO_CONTRAST -> PilOps.autocontrast(x);
            case EQUALIZE -> PilOps.equalize(x);
            case INVERT -> PilOps.invert(x);
            case ROTATE -> PilOps.rotate(x, negate(f * 30.0, rng), fillColour, filter);
            case POSTERIZE -> {
                int bits = (int) (f * 4);
                yield PilOps.posterize(x, increasing ? 4 - bits : bits);
            }
            case SOLARIZE -> {
                int t = (int) (f * 256);
                yield PilOps.solarize(x, increasing ? 256 - t : t);
            }
            case SOLARIZE_ADD -> PilOps.solarizeAdd(x, (int) (f * 110), 128);
            case COLOR -> PilOps.color(x, enhance(f, rng));
            case CONTRAST -> PilOps.contrast(x, enhance(f, rng));
            case BRIGHTNESS -> PilOps.brightness(x, enhance(f, rng));
            case SHARPNESS -> PilOps.sharpness(x, enhance(f, rng));
            case SHEAR_X -> PilOps.affine(x, new double[] {1, negate(f * 0.3, rng), 0, 0, 1, 0}, fillColour, filter);
            case SHEAR_Y -> PilOps.affine(x, new double[] {1, 0, 0, negate(f * 0.3, rng), 1, 0}, fillColour, filter);
            case TRANSLATE_X_REL -> PilOps.affine(x, new double[] {1, 0, negate(f * TRANSLATE_PCT, rng) * x.width(), 0, 1, 0},
                    fillColour, filter);
            case TRANSLATE_Y_REL -> PilOps.affine(x, new double[] {1, 0, 0, 0, 1, negate(f * TRANSLATE_PCT, rng) * x.height()},
                    fillColour, filter);
        };
    }

    /** The enhancement factor: timm's increasing one is 1 ± 0.9·f; the plain one 0.1 + 1.8·f. */
    private double enhance(double f, SplittableRandom rng) {
        return increasing ? 1.0 + negate(f * 0.9, rng) : f * 1.8 + 0.1;
    }

    private static double negate(double v, SplittableRandom rng) {
        return rng.nextDouble() > 0.5 ? -v : v;
    }
}
