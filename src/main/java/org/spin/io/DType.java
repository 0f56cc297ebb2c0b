package org.spin.io;

import org.spin.SpinException;

/**
 * Element types a tensor file may hold. Kept independent of any engine's dtype enum so that
 * checkpoint files can be read, validated and converted without loading native libraries.
 */
public enum DType {
    F64(8, "F64", true),
    F32(4, "F32", true),
    F16(2, "F16", true),
    BF16(2, "BF16", true),
    I64(8, "I64", false),
    I32(4, "I32", false),
    I16(2, "I16", false),
    I8(1, "I8", false),
    U8(1, "U8", false),
    BOOL(1, "BOOL", false);

    private final int byteSize;
    private final String safetensorsName;
    private final boolean floatingPoint;

    DType(int byteSize, String safetensorsName, boolean floatingPoint) {
        this.byteSize = byteSize;
        this.safetensorsName = safetensorsName;
        this.floatingPoint = floatingPoint;
    }

    /** Bytes per element, needed to check stored lengths against shapes. */
    public int byteSize() {
        return byteSize;
    }

    /** The spelling used in a safetensors header, which is the interchange name for files. */
    public String safetensorsName() {
        return safetensorsName;
    }

    /** Whether values are floating point, which decides if integer access is meaningful. */
    public boolean isFloatingPoint() {
        return floatingPoint;
    }

    /**
     * Looks a header dtype up by its safetensors spelling; unknown names are a user-facing error
     * because they come from a file, not from code.
     */
    public static DType fromSafetensors(String name) {
        for (DType t : values()) {
            if (t.safetensorsName.equals(name)) {
                return t;
            }
        }
        throw new SpinException("unknown safetensors dtype '" + name + "'; expected one of "
                + java.util.Arrays.toString(values()));
    }
}
