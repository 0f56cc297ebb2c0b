package org.spin.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.Arrays;
import org.spin.SpinException;
import org.spin.io.HostTensor;
import org.spin.runtime.Autograd;

/** The one crossing between host tensors (files) and engine arrays. */
public final class HostArrays {

    private HostArrays() {}

    public static HostTensor toHost(NDArray a) {
        return HostTensor.ofFloats(a.getShape().getShape(), a.toFloatArray());
    }

    /**
     * Copies {@code src} into {@code target} in place, keeping the array's identity (and its
     * gradient flag). Grad mode is off for the copy, so writing into a leaf is allowed in any thread.
     *
     * @param what names the file and key in the error a shape mismatch gives
     */
    public static void copyInto(NDArray target, HostTensor src, String what) {
        long[] expected = target.getShape().getShape();
        if (!Arrays.equals(expected, src.shape())) {
            throw new SpinException(what + " has shape " + Arrays.toString(src.shape())
                    + " but the model expects " + Arrays.toString(expected));
        }
        try (NDManager tmp = target.getManager().newSubManager(); Autograd.Scope copy = Autograd.paused()) {
            target.set(new NDIndex("..."), tmp.create(src.toFloats(), target.getShape()));
        }
    }
}
