package org.spin.sharing;

import java.util.List;
import org.spin.SpinException;
import org.spin.config.SpinConfig;

/**
 * Reads the sharing plan of one model family from its {@code <section>.WEIGHT_SHARE} keys, so
 * every isotropic family (ConvMixer, ViT, ConvNeXt) resolves them the same way.
 *
 * <p>Precedence: an explicit {@code PLAN} wins over everything; otherwise {@code ENABLE false}
 * is the unshared model; otherwise {@code GROUP_SIZES}, when set, gives each slot's group size
 * in place of {@code SHARING_DISTRIBUTION} and {@code SHARE_RATE}; then {@code SHARING_MAPPING}
 * (with {@code SEED} for random) decides which layers form the groups. {@code GROUP_SIZES} with
 * {@code ENABLE false} is an error rather than a silent unshared model: someone who wrote group
 * sizes meant to share.
 */
public final class PlanConfig {

    private PlanConfig() {}

    /**
     * @param section the model section, e.g. {@code CONVMIXER}
     * @param depth the model's layer count; an explicit {@code PLAN} is returned as written, so
     *     the caller checks its depth against the model's
     */
    public static SharingPlan from(SpinConfig cfg, String section, int depth) {
        String ws = section + ".WEIGHT_SHARE.";
        List<Integer> explicit = cfg.getIntList(ws + "PLAN");
        if (explicit != null && !explicit.isEmpty()) {
            return SharingPlan.of(explicit);
        }
        List<Integer> sizes = cfg.getIntList(ws + "GROUP_SIZES");
        boolean hasSizes = sizes != null && !sizes.isEmpty();
        if (!cfg.getBool(ws + "ENABLE")) {
            if (hasSizes) {
                throw new SpinException(ws + "GROUP_SIZES " + sizes.toString().replace(" ", "") + " is set but "
                        + ws + "ENABLE is false; set ENABLE true to share by these sizes, or unset GROUP_SIZES");
            }
            return SharingPlan.unshared(depth);
        }
        SharingMapping mapping = SharingMapping.parse(cfg.getString(ws + "SHARING_MAPPING"));
        long seed = cfg.getInt(ws + "SEED");
        if (hasSizes) {
            return SharingPlan.create(depth, sizes.stream().mapToInt(Integer::intValue).toArray(), mapping, seed);
        }
        return SharingPlan.create(depth, cfg.getInt(ws + "SHARE_RATE"),
                SharingDistribution.parse(cfg.getString(ws + "SHARING_DISTRIBUTION")), mapping, seed);
    }
}
