package org.spin.io;

/**
 * One {@code data/<key>} record of a PyTorch zip checkpoint: a flat typed buffer that one or
 * more tensors view through offset, size and stride. Kept separate from {@link HostTensor}
 * because a storage has no shape, and several tensors (shared weights) may view the same one.
 */
record TorchStorage(String key, DType dtype, byte[] bytes) {

    long numel() {
        return bytes.length / dtype.byteSize();
    }
}
