package org.spin.model.shared;

import java.util.Set;
import org.spin.SpinException;
import org.spin.config.SpinConfig;
import org.spin.sharing.PlanConfig;
import org.spin.sharing.SharingPlan;

/**
 * A model's {@code WEIGHT_SHARE} settings: the plan, what it applies to (scopes), weight fusion's
 * reduction and the per-layer relaxation. Tensors outside the scopes get the unshared plan.
 *
 * @param reduction null unless this is a fusion model
 */
public record Sharing(SharingPlan plan, Set<String> scopes, Reduction reduction, Relaxation relaxation) {

    /** Reads {@code SECTION.WEIGHT_SHARE.*} for a model of {@code depth} layers. */
    public static Sharing from(SpinConfig cfg, String section, int depth, Scopes vocabulary) {
        String ws = section + ".WEIGHT_SHARE.";
        SharingPlan plan = PlanConfig.from(cfg, section, depth);
        if (plan.depth() != depth) {
            throw new SpinException(ws + "PLAN " + plan + " has " + plan.depth() + " layers but " + section
                    + ".DEPTH is " + depth);
        }
        return new Sharing(plan,
                vocabulary.parse(ws + "SCOPE", cfg.getString(ws + "SCOPE")),
                Reduction.parse(cfg.getString(ws + "REDUCTION_FN")), Relaxation.from(cfg, section));
    }

    /** Unshared, unfused, unrelaxed. */
    public static Sharing none(int depth, Set<String> scopes) {
        return new Sharing(SharingPlan.unshared(depth), scopes, null, Relaxation.NONE);
    }

    /** The plan of one scope: the model's if the scope is shared, else every layer its own. */
    public SharingPlan planFor(String scope) {
        return scopes.contains(scope) ? plan : SharingPlan.unshared(plan.depth());
    }

    /** How many copies of a per-layer tensor of {@code scope} the model stores (for closed-form counts). */
    public long copies(String scope) {
        return planFor(scope).numSlots();
    }

    /**
     * Relaxation parameters of one matrix of {@code scope} with {@code out} output channels and
     * {@code in} inputs per output, over all layers (0 when it is not shared or not relaxed).
     */
    public long relaxationParams(String scope, long out, long in) {
        if (!planFor(scope).isShared()) {
            return 0;
        }
        long perLayer = switch (relaxation.kind()) {
            case NONE -> 0;
            case DYNAMIC -> 2 * out / relaxation.group();
            case LORA -> (long) relaxation.rank() * (out + in);
        };
        return perLayer * plan.depth();
    }

    public boolean fuses() {
        return reduction != null;
    }
}
