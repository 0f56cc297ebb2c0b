package org.spin.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import net.razorvine.pickle.PickleException;
import org.spin.SpinException;

/**
 * Reads checkpoints written by PyTorch's {@code torch.save} (zip format, PyTorch 1.6+) so that
 * weights trained with the Python reference can be loaded without Python. Loading never runs
 * code from the file: the pickle may only name the few callables needed to rebuild tensors and
 * ordered dicts (see {@link TorchGlobals}); anything else is refused with an error.
 */
public final class TorchCheckpoint {

    /** Key under which the reference training script stores the model's state dict. */
    public static final String MODEL_STATE_KEY = "model_state";

    /**
     * The keys a training checkpoint keeps its weights under, in the order they are looked for: the
     * reference's (SlowFast), facebookresearch/ConvNeXt's and DeiT's, ConvNeXt's weight average
     * (when a file holds only that), and Lightning's and many others'.
     */
    public static final java.util.List<String> CONTAINER_KEYS = java.util.List.of(MODEL_STATE_KEY, "model", "model_ema",
            "state_dict");

    private TorchCheckpoint() {}

    /**
     * Returns the model weights, name to tensor in file order. Accepts a bare
     * {@code state_dict} or a training checkpoint dict holding it under one of
     * {@link #CONTAINER_KEYS} (the first present); the checkpoint's other entries (epoch, cfg,
     * optimizer_state, and a {@code model_ema} beside {@code model}) are ignored.
     *
     * @throws SpinException naming the file if it is not such a checkpoint or a value is not a tensor
     */
    public static Map<String, HostTensor> readStateDict(Path path) {
        Object root = unpickle(path);
        if (!(root instanceof Map<?, ?> top)) {
            throw new SpinException(path + ": checkpoint holds " + PickledValues.describe(root)
                    + "; expected a state_dict or a dict with one of " + CONTAINER_KEYS);
        }
        String where = "state_dict";
        Object candidate = top;
        for (String key : CONTAINER_KEYS) {
            if (top.containsKey(key) && top.get(key) instanceof Map) {
                where = "'" + key + "'";
                candidate = top.get(key);
                break;
            }
        }
        if (candidate == top && top.containsKey(MODEL_STATE_KEY)) {
            throw new SpinException(path + ": '" + MODEL_STATE_KEY + "' is " + PickledValues.describe(top.get(MODEL_STATE_KEY))
                    + "; expected a dict of tensors");
        }
        Map<String, HostTensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) candidate).entrySet()) {
            if (!(e.getKey() instanceof String name)) {
                throw new SpinException(path + ": " + where + " has key " + key(e.getKey())
                        + "; expected parameter names");
            }
            if (!(e.getValue() instanceof HostTensor tensor)) {
                throw new SpinException(path + ": " + where + " entry " + SpinException.quoted(name) + " is "
                        + PickledValues.describe(e.getValue()) + "; expected a tensor"
                        + (candidate == top ? " (training checkpoints must keep weights under one of "
                                + CONTAINER_KEYS + ")" : ""));
            }
            tensors.put(name, tensor);
        }
        return tensors;
    }

    /**
     * Returns the checkpoint's top-level dict, for entries other than weights (e.g.
     * {@code epoch}, or {@code cfg} as a YAML string). Tensors appear as {@link HostTensor}, dicts
     * as ordered maps, lists and tuples both as lists, ints as Integer/Long/BigInteger, floats as
     * Double and None as null.
     *
     * @throws SpinException naming the file if it is not a checkpoint or its top level is not a
     *     dict with string keys
     */
    public static Map<String, Object> readTopLevel(Path path) {
        Object root = PickledValues.normalize(unpickle(path), path.toString());
        if (!(root instanceof Map<?, ?> top)) {
            throw new SpinException(path + ": checkpoint holds " + PickledValues.describe(root)
                    + "; expected a dict");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : top.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new SpinException(path + ": checkpoint dict has key " + key(e.getKey())
                        + "; expected string keys");
            }
            out.put(key, e.getValue());
        }
        return out;
    }

    /**
     * A key that is not a name, for a message: its value when it is a number or a bool, else only
     * its type, since a tuple or a dict key can be huge or even contain itself.
     */
    private static String key(Object key) {
        String type = PickledValues.describe(key);
        return key instanceof Number || key instanceof Boolean
                ? SpinException.excerpt(key.toString()) + " (" + type + ")" : "(" + type + ")";
    }

    /** Opens the archive and runs the restricted unpickler over its {@code data.pkl}. */
    private static Object unpickle(Path path) {
        String file = path.toString();
        try (TorchZipArchive archive = TorchZipArchive.open(path)) {
            byte[] pickle = archive.pickle();
            RestrictedUnpickler unpickler = new RestrictedUnpickler(file, archive::storage, archive.fileBytes());
            try {
                return unpickler.loads(pickle);
            } catch (SpinException e) {
                throw e;
            } catch (IOException | RuntimeException | StackOverflowError e) {
                // razorvine signals corrupt input with PickleException, IOException, or plain
                // ClassCast/IndexOutOfBounds exceptions when opcodes meet unexpected operands
                throw new SpinException(file + ": corrupt pickle " + SpinException.quoted(archive.pickleName()) + ": "
                        + (e instanceof PickleException || e instanceof IOException ? SpinException.firstLine(e)
                                : SpinException.excerpt(e.toString())), e);
            } finally {
                unpickler.close();
            }
        }
    }
}
