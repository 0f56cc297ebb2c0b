package org.spin.io;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.PickleException;
import org.spin.SpinException;

/**
 * The allowlist of Python callables a checkpoint pickle may name. Unpickling calls whatever a
 * pickle names, so a checkpoint from the internet could otherwise run {@code os.system}; here
 * every name outside the handful needed to rebuild tensors and ordered dicts is refused before
 * anything is constructed. Resolution never falls back to razorvine's own registry.
 */
final class TorchGlobals {

    private static final Map<String, DType> STORAGE_TYPES = Map.of(
            "DoubleStorage", DType.F64,
            "FloatStorage", DType.F32,
            "HalfStorage", DType.F16,
            "BFloat16Storage", DType.BF16,
            "LongStorage", DType.I64,
            "IntStorage", DType.I32,
            "ShortStorage", DType.I16,
            "CharStorage", DType.I8,
            "ByteStorage", DType.U8,
            "BoolStorage", DType.BOOL);

    /**
     * A storage class named in a persistent id; it only tells the element type and is never
     * called.
     */
    record StorageType(String name, DType dtype) implements IObjectConstructor {
        @Override
        public Object construct(Object[] args) {
            throw new PickleException("pickle calls torch." + name + "; a checkpoint may only reference storages");
        }
    }

    private final String file;
    private final StridedGather.CopyBudget copies;

    /** @param copyBytes how many bytes tensor views may copy out of their storages in all */
    TorchGlobals(String file, long copyBytes) {
        this.file = file;
        this.copies = new StridedGather.CopyBudget(copyBytes);
    }

    /** Returns what the pickle's {@code module.name} stands for, or refuses it. */
    Object resolve(String module, String name) {
        String qualified = module + "." + name;
        switch (qualified) {
            case "collections.OrderedDict":
                return (IObjectConstructor) this::orderedDict;
            case "torch._utils._rebuild_tensor_v2":
                return (IObjectConstructor) this::rebuildTensor;
            case "torch._utils._rebuild_parameter":
                return (IObjectConstructor) this::rebuildParameter;
            default:
                break;
        }
        if (module.equals("torch") && STORAGE_TYPES.containsKey(name)) {
            return new StorageType(name, STORAGE_TYPES.get(name));
        }
        throw new SpinException(file + ": refuses pickle global " + SpinException.quoted(qualified)
                + "; a checkpoint may only hold tensors, dicts, lists and numbers");
    }

    /** {@code OrderedDict()} or {@code OrderedDict(pairs)}; items normally follow via SETITEMS. */
    private Object orderedDict(Object[] args) {
        Map<Object, Object> dict = new LinkedHashMap<>();
        if (args.length == 0) {
            return dict;
        }
        if (args.length == 1 && args[0] instanceof Map<?, ?> m) {
            dict.putAll(m);
            return dict;
        }
        if (args.length == 1 && args[0] instanceof List<?> pairs) {
            for (Object p : pairs) {
                if (!(p instanceof Object[] kv) || kv.length != 2) {
                    throw bad("OrderedDict items must be (key, value) pairs");
                }
                dict.put(kv[0], kv[1]);
            }
            return dict;
        }
        throw bad("OrderedDict takes no arguments or one list of pairs, got " + args.length + " arguments");
    }

    /**
     * {@code _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad,
     * backward_hooks[, metadata])}; gradient flags, hooks and metadata do not matter for weights.
     */
    private Object rebuildTensor(Object[] args) {
        if (args.length < 4 || !(args[0] instanceof TorchStorage storage)) {
            throw bad("_rebuild_tensor_v2 expects (storage, offset, size, stride, ...)");
        }
        return StridedGather.gather(file, storage, integer(args[1], "storage offset"),
                integers(args[2], "size"), integers(args[3], "stride"), copies);
    }

    /** {@code _rebuild_parameter(data, requires_grad, backward_hooks)}: a Parameter is its data. */
    private Object rebuildParameter(Object[] args) {
        if (args.length < 1 || !(args[0] instanceof HostTensor tensor)) {
            throw bad("_rebuild_parameter expects a tensor as its first argument");
        }
        return tensor;
    }

    private long[] integers(Object value, String what) {
        if (!(value instanceof Object[] tuple)) {
            throw bad("tensor " + what + " is " + PickledValues.describe(value) + "; expected a tuple of ints");
        }
        long[] out = new long[tuple.length];
        for (int i = 0; i < tuple.length; i++) {
            out[i] = integer(tuple[i], what);
        }
        return out;
    }

    private long integer(Object value, String what) {
        if (value instanceof Integer || value instanceof Long) {
            return ((Number) value).longValue();
        }
        throw bad("tensor " + what + " holds " + PickledValues.describe(value) + "; expected an int");
    }

    private SpinException bad(String what) {
        return new SpinException(file + ": malformed tensor record in pickle: " + what);
    }
}
