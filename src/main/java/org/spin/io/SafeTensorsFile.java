package org.spin.io;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a safetensors file holds: named tensors in file order plus the free-form string
 * {@code __metadata__}, which we use to carry provenance (config, sharing plan) next to weights.
 *
 * @param tensors  name to tensor, in the order the header lists them
 * @param metadata header {@code __metadata__}; empty when the file has none
 */
public record SafeTensorsFile(Map<String, HostTensor> tensors, Map<String, String> metadata) {

    public SafeTensorsFile {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }
}
