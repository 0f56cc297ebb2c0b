package org.spin.model;

import ai.djl.nn.Parameter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
     * when it starts from an unshared checkpoint.
     */
    public static void load(SpinModel model, Map<String, HostTensor> sd, String source, Predicate<String> mayBeAbsent) {
        Map<String, Parameter> params = model.stateDict();
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
        List<String> unexpected = new ArrayList<>();
        for (String k : sd.keySet()) {
            if (!params.containsKey(k) && !(k.endsWith(NBT) && model.batchNorms().containsKey(k.substring(0, k.length() - NBT.length())))) {
                unexpected.add(k);
            }
        }
        if (!unexpected.isEmpty()) {
            throw new SpinException(source + ": " + unexpected.size() + " key(s) the model does not have, e.g. "
                    + String.join(", ", unexpected.subList(0, Math.min(3, unexpected.size())))
                    + " (does the config's depth, width and sharing plan match the checkpoint?)");
        }
        params.forEach((key, p) -> {
            if (sd.containsKey(key)) {
                HostArrays.copyInto(p.getArray(), sd.get(key), source + ": key " + key);
            }
        });
        model.batchNorms().forEach((prefix, bn) -> {
            HostTensor n = sd.get(prefix + NBT);
            bn.setNumBatchesTracked(n == null ? 0 : n.toLongs()[0]);
        });
    }
}
