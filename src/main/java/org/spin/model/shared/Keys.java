package org.spin.model.shared;

/**
 * Where one block weight lives in the reference's state dict: one row of an architecture's rename
 * table. Each is a format with one {@code %d}: a layer's own tensor (unshared model and fusion
 * sources), a slot's tensor (shared model), a layer's reduction weight, and the prefix of a
 * layer's relaxation parameters.
 */
public record Keys(String layer, String slot, String reduction, String relax) {

    /** {@code blocks.%d.PATH.LEAF} per layer, {@code shared.%d.PATH.LEAF} per slot. */
    public static Keys block(String path, String leaf) {
        String reductionLeaf = leaf.equals("weight") ? "reduction_w" : leaf + "_reduction_w";
        return new Keys("blocks.%d." + path + "." + leaf, "shared.%d." + path + "." + leaf,
                "blocks.%d." + path + "." + reductionLeaf, "blocks.%d." + path);
    }
}
