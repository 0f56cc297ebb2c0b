package org.spin.model;

import java.util.List;

/**
 * Closed-form size and compute of a model, from its config alone (tests check it against the built
 * model). Parameters are trainable ones, each shared slot once; MACs are multiply-accumulates per
 * image of the conv, linear and attention products; FLOPs are 2 × MACs.
 *
 * @param macs per layer type, in forward order
 */
public record ModelCost(long uniqueParams, long unsharedParams, List<Part> macs) {

    /** One layer type's MACs per image. */
    public record Part(String name, long macs) {}

    public long totalMacs() {
        return macs.stream().mapToLong(Part::macs).sum();
    }
}
