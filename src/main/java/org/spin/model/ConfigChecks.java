package org.spin.model;

import java.util.List;
import org.spin.SpinException;
import org.spin.config.SpinConfig;
import org.spin.model.shared.Sharing;

/** The checks every architecture's config record makes, each naming the key at fault. */
public final class ConfigChecks {

    private ConfigChecks() {}

    public static void positive(String key, int v) {
        if (v < 1) {
            throw new SpinException(key + " " + v + " must be at least 1");
        }
    }

    /** The keys outside the architecture's section: classes, head dropout, and the plan's depth against {@code depthKey}. */
    public static void common(int inChannels, int numClasses, float dropout, Sharing sharing, String depthKey, int depth) {
        positive("DATA.INPUT_CHANNEL_NUM", inChannels);
        positive("MODEL.NUM_CLASSES", numClasses);
        if (!(dropout >= 0 && dropout < 1)) {
            throw new SpinException("MODEL.DROPOUT_RATE " + dropout + " must be in [0, 1)");
        }
        if (sharing.plan().depth() != depth) {
            throw new SpinException("sharing plan " + sharing.plan() + " has " + sharing.plan().depth() + " layers but "
                    + depthKey + " is " + depth);
        }
    }

    /** {@code DATA.INPUT_CHANNEL_NUM}: one number, the image's channels. */
    public static int inChannels(SpinConfig cfg) {
        List<Integer> inChannels = cfg.getIntList("DATA.INPUT_CHANNEL_NUM");
        if (inChannels == null || inChannels.size() != 1) {
            throw new SpinException("DATA.INPUT_CHANNEL_NUM " + inChannels + " must hold one number, e.g. [3]");
        }
        return inChannels.get(0);
    }
}
