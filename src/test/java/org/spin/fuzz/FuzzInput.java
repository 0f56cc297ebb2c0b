package org.spin.fuzz;

import java.util.List;

/**
 * One fuzz case: a seed and the edits applied to it, inside its container or to the file as stored.
 * Its {@code toString} is what jqwik reports for a failing case, next to the seed that reproduces it.
 */
record FuzzInput(Seed seed, boolean inside, List<Mutation> mutations) {

    byte[] bytes() {
        byte[] b = inside ? seed.content() : seed.file();
        for (Mutation m : mutations) {
            b = m.apply(b);
        }
        return inside && seed.wrapped() ? seed.wrap().apply(b) : b;
    }

    @Override
    public String toString() {
        return seed.name() + (seed.wrapped() ? (inside ? " (content)" : " (as stored)") : "") + " " + mutations;
    }
}
