package org.spin.io;

import java.util.Arrays;
import org.spin.SpinException;

/**
 * Materialises a PyTorch tensor view (storage offset, size, stride) as a dense C-order
 * {@link HostTensor}. State dicts are nearly always contiguous, so that path copies one block
 * (or none); transposed or sliced views saved as-is still load correctly via the gather path.
 */
final class StridedGather {

    private StridedGather() {}

    /**
     * What the views of one checkpoint may copy out of their storages, together. Views that
     * repeat elements (stride 0, overlaps) or many views of one storage can ask for far more
     * memory than the file holds; a state dict's views never copy more than their storages.
     */
    static final class CopyBudget {
        private long left;

        CopyBudget(long bytes) {
            this.left = bytes;
        }

        void take(String file, String view, long bytes) {
            if (bytes > left) {
                throw new SpinException(file + ": " + view + " needs " + bytes + " bytes, more than the "
                        + left + " the checkpoint's file has left for its tensors; expected views that copy no more"
                        + " than their storages hold");
            }
            left -= bytes;
        }
    }

    static HostTensor gather(String file, TorchStorage storage, long offset, long[] size, long[] stride,
                             CopyBudget budget) {
        DType dtype = storage.dtype();
        String view = "tensor view of storage " + SpinException.quoted(storage.key()) + " (offset " + offset
                + ", size " + SpinException.excerpt(Arrays.toString(size))
                + ", stride " + SpinException.excerpt(Arrays.toString(stride)) + ")";
        if (size.length != stride.length) {
            throw new SpinException(file + ": " + view + " has " + size.length + " sizes but " + stride.length
                    + " strides; expected one stride per dimension");
        }
        long numel;
        long lastIndex = offset;
        try {
            numel = HostTensor.numel(size);
            for (int d = 0; d < size.length; d++) {
                if (stride[d] < 0) {
                    throw new SpinException(file + ": " + view + " has a negative stride; expected strides >= 0");
                }
                if (size[d] > 0) {
                    lastIndex = Math.addExact(lastIndex, Math.multiplyExact(size[d] - 1, stride[d]));
                }
            }
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new SpinException(file + ": " + view + " is not a valid tensor shape", e);
        }
        if (offset < 0) {
            throw new SpinException(file + ": " + view + " has a negative offset; expected offset >= 0");
        }
        if (numel == 0) {
            return new HostTensor(dtype, size, new byte[0]);
        }
        if (lastIndex >= storage.numel()) {
            throw new SpinException(file + ": " + view + " reaches element " + lastIndex + " but the storage holds "
                    + storage.numel() + " " + dtype + " elements");
        }
        int elem = dtype.byteSize();
        byte[] src = storage.bytes();
        boolean contiguous = isContiguous(size, stride);
        if (contiguous && offset == 0 && numel == storage.numel()) {
            return new HostTensor(dtype, size, src); // whole storage: share instead of copying
        }
        if (numel > (Integer.MAX_VALUE - 8) / elem) {
            throw new SpinException(file + ": " + view + " has " + numel + " elements, more than one array holds");
        }
        budget.take(file, view, numel * elem);
        if (contiguous) {
            int from = Math.toIntExact(offset * elem);
            return new HostTensor(dtype, size, Arrays.copyOfRange(src, from, from + Math.toIntExact(numel * elem)));
        }
        return new HostTensor(dtype, size, copyStrided(src, elem, offset, size, stride, numel));
    }

    /** Dimensions of size 1 may carry any stride, so they are ignored, as PyTorch does. */
    static boolean isContiguous(long[] size, long[] stride) {
        long expected = 1;
        for (int d = size.length - 1; d >= 0; d--) {
            if (size[d] != 1 && stride[d] != expected) {
                return false;
            }
            expected *= size[d];
        }
        return true;
    }

    /** Walks the index space in C order like an odometer, copying unit-stride rows in one go. */
    private static byte[] copyStrided(byte[] src, int elem, long offset, long[] size, long[] stride, long numel) {
        byte[] out = new byte[Math.toIntExact(numel * elem)];
        int rank = size.length;
        int last = rank - 1;
        boolean rowCopy = stride[last] == 1;
        int rowElems = (int) size[last];
        long[] index = new long[rank];
        int pos = 0;
        while (pos < out.length) {
            long base = offset;
            for (int d = 0; d < last; d++) {
                base += index[d] * stride[d];
            }
            if (rowCopy) {
                System.arraycopy(src, (int) (base * elem), out, pos, rowElems * elem);
                pos += rowElems * elem;
            } else {
                for (int i = 0; i < rowElems; i++) {
                    System.arraycopy(src, (int) ((base + i * stride[last]) * elem), out, pos, elem);
                    pos += elem;
                }
            }
            for (int d = last - 1; d >= 0; d--) {
                if (++index[d] < size[d]) {
                    break;
                }
                index[d] = 0;
            }
        }
        return out;
    }
}
