package org.spin.model;

import ai.djl.nn.Parameter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.spin.SpinException;
import org.spin.io.CheckpointFormat;
import org.spin.io.HostTensor;
import org.spin.io.SafeTensorsFile;
import org.spin.model.layers.BatchNorm2d;

/**
 * Moves a model's tensors to and from a host-side state dict keyed as the reference's PyTorch
 * module. {@code num_batches_tracked} is optional on read, as PyTorch's BatchNorm allows.
 */
public final class StateDicts {

    private static final String NBT = ".num_batches_tracked";

    private StateDicts() {}

    public static Map<String, HostTensor> export(SpinModel model) {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        Map<String, BatchNorm2d> norms = model.batchNorms();
        for (Map.Entry<String, Parameter> e : model.stateDict().entrySet()) {
            out.put(e.getKey(), HostArrays.toHost(e.getValue().getArray()));
            if (e.getKey().endsWith(".running_var")) {
                String prefix = e.getKey().substring(0, e.getKey().length() - ".running_var".length());
                BatchNorm2d bn = norms.get(prefix);
                if (bn != null) {
                    out.put(prefix + NBT, HostTensor.ofLongs(new long[0], new long[] {bn.numBatchesTracked()}));
                }
            }
        }
        return out;
    }

    /**
     * Copies {@code sd} into the model in place. Every model key must be present with its shape;
     * a key the model does not have is an error too (a wrong config would otherwise load half a
     * model silently).
     *
     * @param source names the file in error messages
     */
    public static void load(SpinModel model, Map<String, HostTensor> sd, String source) {
        load(model, sd, source, key -> false);
    }

    /**
     * The one way a weights file goes into a model: refused when the file records another sharing
     * plan (its keys cannot tell sequential from strided sharing), then every tensor by key.
     */
    public static void load(SpinModel model, SafeTensorsFile file, Path source) {
        CheckpointFormat.checkPlan(file.metadata(), model.plan().toString(), source);
        load(model, file.tensors(), source.toString());
    }

    /**
     * As {@link #load(SpinModel, Map, String)}, but model keys that {@code mayBeAbsent} accepts
     * keep their initial values when the file lacks them: a fusion model's {@code reduction_w}
     * when it starts from an unshared checkpoint. A file in another codebase's layout of the
     * model's family ({@link Architecture#imports()}, e.g. timm's ConvMixer) is recognised by its
     * keys and renamed to ours first; a key that has no counterpart is refused, named with the layout.
     */
    public static void load(SpinModel model, Map<String, HostTensor> file, String source, Predicate<String> mayBeAbsent) {
        Architecture family = Models.architecture(model);
        StateDictLayout layout = layout(family, file.keySet(), source);
        Map<String, String> theirs = new HashMap<>(); // our key -> the file's, where they differ
        Map<String, HostTensor> sd = layout.recognises(file.keySet()) ? layout.toOurs(file, source, theirs) : file;
        Map<String, Parameter> params = model.stateDict();
        // the first key the model does not have names what is wrong better than the keys it then lacks
        List<String> unexpected = new ArrayList<>();
        for (String k : sd.keySet()) {
            if (!params.containsKey(k) && !(k.endsWith(NBT) && model.batchNorms().containsKey(k.substring(0, k.length() - NBT.length())))) {
                unexpected.add(theirs.getOrDefault(k, k));
            }
        }
        if (!unexpected.isEmpty()) {
            throw new SpinException(source + ": " + layout.notIn(unexpected.get(0), "this model's ")
                    + (unexpected.size() > 1 ? "; " + unexpected.size() + " such keys" : "")
                    + " (does the config's depth, width and sharing plan match the checkpoint?)");
        }
        List<String> missing = new ArrayList<>();
        for (String k : params.keySet()) {
            if (!sd.containsKey(k) && !mayBeAbsent.test(k)) {
                missing.add(k);
            }
        }
        if (!missing.isEmpty()) {
            throw new SpinException(source + ": missing " + missing.size() + " key(s) the model needs, e.g. "
                    + String.join(", ", missing.subList(0, Math.min(3, missing.size())))
                    + " (does the config's depth, width and sharing plan match the checkpoint?)");
        }
        params.forEach((key, p) -> {
            if (sd.containsKey(key)) {
                HostArrays.copyInto(p.getArray(), sd.get(key), source + ": key " + (theirs.containsKey(key)
                        ? theirs.get(key) + " (our " + key + ")" : key));
            }
        });
        model.batchNorms().forEach((prefix, bn) -> {
            HostTensor n = sd.get(prefix + NBT);
            bn.setNumBatchesTracked(n == null ? 0 : n.toLongs()[0]);
        });
    }

    /** The layout a file with these keys is in: one its family imports, recognised by its keys, else the family's own. */
    private static StateDictLayout layout(Architecture family, Set<String> keys, String source) {
        for (Architecture a : Models.architectures()) {
            for (StateDictLayout imported : a.imports()) {
                if (imported.recognises(keys)) {
                    if (a != family) {
                        throw new SpinException(source + ": a " + imported.name() + " state dict, but the config builds a "
                                + family.name() + "; give MODEL.ARCH " + a.name() + " or a " + a.name()
                                + " --model preset (spin models)");
                    }
                    return imported;
                }
            }
        }
        return family.layout();
    }
}
