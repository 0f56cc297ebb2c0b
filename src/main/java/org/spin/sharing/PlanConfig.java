package org.spin.sharing;

import java.util.List;
import org.spin.config.SpinConfig;

/** TEMPORARY until the topology branch lands. */
public final class PlanConfig {
    private PlanConfig() {}

    public static SharingPlan from(SpinConfig cfg, String section, int depth) {
        String ws = section + ".WEIGHT_SHARE.";
        List<Integer> explicit = cfg.getIntList(ws + "PLAN");
        if (explicit != null && !explicit.isEmpty()) {
            return SharingPlan.of(explicit);
        }
        if (!cfg.getBool(ws + "ENABLE")) {
            return SharingPlan.unshared(depth);
        }
        return SharingPlan.create(depth, cfg.getInt(ws + "SHARE_RATE"),
                SharingDistribution.parse(cfg.getString(ws + "SHARING_DISTRIBUTION")),
                SharingMapping.parse(cfg.getString(ws + "SHARING_MAPPING")), cfg.getInt(ws + "SEED"));
    }
}
