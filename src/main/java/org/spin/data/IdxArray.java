package org.spin.data;

/**
 * The contents of one IDX file of unsigned bytes: its dimensions and its data, row-major.
 * Kept separate from the reader so callers check the dimension count that fits their use.
 */
public record IdxArray(int[] dims, byte[] data) {

    /** Size of dimension {@code i}. */
    public int dim(int i) {
        return dims[i];
    }
}
