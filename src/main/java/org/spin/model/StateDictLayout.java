package org.spin.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.spin.SpinException;
import org.spin.io.HostTensor;

/**
 * How one codebase names a model family's tensors. Each family reads its own layout, the one of
 * the code it reproduces (the SPIN reference's ConvMixer, timm's ViT/DeiT, facebookresearch/ConvNeXt's
 * isotropic ConvNeXt), and may import others' pretrained files (timm's ConvMixer): such a file is
 * recognised by keys only its layout has, so no option is needed, and renamed to ours before loading.
 *
 * @param name     for messages, e.g. {@code timm ConvMixer}
 * @param expected its key patterns, for messages, e.g. {@code stem.*, blocks.N.*, head.*}
 * @param markers  keys a file must all hold to be taken for this layout; empty for a family's own layout
 * @param ourKey   our key for one of the layout's keys, or null when it has none
 * @param why      why a key has no counterpart in our model, or null when there is nothing to add
 */
public record StateDictLayout(String name, String expected, Set<String> markers, UnaryOperator<String> ourKey,
                              UnaryOperator<String> why) {

    /** A family's own layout: its keys are ours, so it only words the errors. */
    public static StateDictLayout own(String name, String expected, UnaryOperator<String> why) {
        return new StateDictLayout(name, expected, Set.of(), k -> k, why);
    }

    /** Whether a file with these keys is in this (imported) layout. */
    public boolean recognises(Set<String> keys) {
        return !markers.isEmpty() && keys.containsAll(markers);
    }

    /**
     * The file's tensors under our keys, in file order; {@code theirs} gets each our-key → file-key
     * pair for messages. A key without a counterpart is refused: loading the rest would give another
     * model than the file's.
     */
    public Map<String, HostTensor> toOurs(Map<String, HostTensor> sd, String source, Map<String, String> theirs) {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, HostTensor> e : sd.entrySet()) {
            String ours = ourKey.apply(e.getKey());
            if (ours == null) {
                throw new SpinException(source + ": " + notIn(e.getKey(), "the "));
            }
            out.put(ours, e.getValue());
            theirs.put(ours, e.getKey());
        }
        return out;
    }

    /**
     * "key 'K' is not in the NAME layout (expected ...)", with the reason when one is known.
     *
     * @param whose "the ", or e.g. "this model's " for a layout a model narrows to its depth and plan
     */
    String notIn(String key, String whose) {
        String reason = why.apply(key);
        return "key " + SpinException.quoted(key) + " is not in " + whose + name + " layout (expected " + expected
                + ")" + (reason == null ? "" : ": " + reason);
    }
}
