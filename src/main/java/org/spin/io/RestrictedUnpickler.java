package org.spin.io;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;
import org.spin.SpinException;

/**
 * A razorvine {@link Unpickler} that can only rebuild plain data and tensors.
 *
 * <p>Razorvine resolves globals in package-private methods we cannot override, and for unknown
 * names it fabricates a {@code ClassDict} instead of failing. So every opcode that names a
 * global (GLOBAL, STACK_GLOBAL, INST) is handled here in {@link #dispatch} and routed through
 * {@link TorchGlobals}; razorvine's constructor registry is never consulted. BUILD is handled
 * here too, because razorvine implements it by reflectively invoking {@code __setstate__} on
 * whatever object is on the stack.
 *
 * <p>Dicts are also handled here: razorvine builds them as {@link HashMap} and applies SETITEMS
 * through a {@link HashMap}, which scrambles the key order a state dict relies on.
 */
final class RestrictedUnpickler extends Unpickler {

    private final String file;
    private final TorchGlobals globals;
    private final StorageSource source;
    private final Map<String, TorchStorage> storages = new HashMap<>();

    /**
     * @param source reads a storage record; each key is loaded once even when several tensors
     *     view it. Pickles must be given via {@link #loads(byte[])}, whose stream supports mark.
     * @param copyBytes how many bytes tensor views may copy out of their storages in all
     */
    RestrictedUnpickler(String file, StorageSource source, long copyBytes) {
        this.file = file;
        this.globals = new TorchGlobals(file, copyBytes);
        this.source = source;
    }

    /** Reads the bytes behind a persistent id. */
    @FunctionalInterface
    interface StorageSource {
        TorchStorage load(String key, DType dtype);
    }

    @Override
    protected Object dispatch(short key) throws PickleException, IOException {
        switch (key) {
            case Opcodes.GLOBAL -> {
                String module = PickleUtils.readline(input);
                String name = PickleUtils.readline(input);
                stack.add(globals.resolve(module, name));
            }
            case Opcodes.STACK_GLOBAL -> {
                Object name = stack.pop();
                Object module = stack.pop();
                if (!(module instanceof String m) || !(name instanceof String n)) {
                    throw new PickleException("STACK_GLOBAL needs two strings");
                }
                stack.add(globals.resolve(m, n));
            }
            case Opcodes.INST -> {
                String module = PickleUtils.readline(input);
                String name = PickleUtils.readline(input);
                Object callable = globals.resolve(module, name);
                List<Object> args = stack.pop_all_since_marker();
                stack.add(((IObjectConstructor) callable).construct(args.toArray()));
            }
            case Opcodes.EMPTY_DICT -> stack.add(new LinkedHashMap<>());
            case Opcodes.DICT -> {
                Map<Object, Object> dict = new LinkedHashMap<>();
                putPairs(dict, stack.pop_all_since_marker());
                stack.add(dict);
            }
            case Opcodes.SETITEMS -> {
                List<Object> items = stack.pop_all_since_marker();
                putPairs(targetDict(), items);
            }
            case Opcodes.BUILD -> build();
            case Opcodes.BINSTRING, Opcodes.BINBYTES, Opcodes.BINUNICODE, Opcodes.LONG4 -> {
                requireAvailable(key, 4);
                return super.dispatch(key);
            }
            case Opcodes.BINBYTES8, Opcodes.BINUNICODE8, Opcodes.BYTEARRAY8 -> {
                requireAvailable(key, 8);
                return super.dispatch(key);
            }
            default -> {
                return super.dispatch(key);
            }
        }
        return NO_RETURN_VALUE;
    }

    /**
     * Torch persistent ids are {@code ('storage', storage_type, key, location, numel)}; anything
     * else means the pickle is not a checkpoint.
     */
    @Override
    protected Object persistentLoad(Object pid) {
        if (!(pid instanceof Object[] t) || t.length != 5 || !"storage".equals(t[0])
                || !(t[1] instanceof TorchGlobals.StorageType type) || !(t[2] instanceof String key)) {
            throw new SpinException(file + ": pickle references external object "
                    + PickledValues.describe(pid) + "; expected ('storage', type, key, location, numel)");
        }
        TorchStorage storage = storages.computeIfAbsent(key, k -> source.load(k, type.dtype()));
        if (storage.dtype() != type.dtype()) {
            throw new SpinException(file + ": storage " + SpinException.quoted(key) + " is viewed as both "
                    + storage.dtype() + " and " + type.dtype() + "; expected one element type per storage");
        }
        if (!(t[4] instanceof Integer || t[4] instanceof Long) || ((Number) t[4]).longValue() != storage.numel()) {
            throw new SpinException(file + ": storage " + SpinException.quoted(key) + " holds " + storage.numel() + " "
                    + storage.dtype() + " elements but the pickle declares "
                    + (t[4] instanceof Number n ? SpinException.excerpt(n.toString()) : PickledValues.describe(t[4])));
        }
        return storage;
    }

    /**
     * Object state (e.g. a state dict's {@code _metadata} attribute) is irrelevant to the
     * tensors, so it is dropped for dicts and refused for anything else.
     */
    private void build() {
        Object state = stack.pop();
        Object target = stack.peek();
        if (!(target instanceof Map)) {
            throw new SpinException(file + ": pickle sets object state on " + PickledValues.describe(target)
                    + "; a checkpoint may only hold tensors, dicts, lists and numbers");
        }
        if (state != null && !(state instanceof Map) && !(state instanceof Object[])) {
            throw new PickleException("BUILD state must be a dict or a (dict, slots) tuple");
        }
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> targetDict() {
        Object target = stack.peek();
        if (!(target instanceof Map)) {
            throw new PickleException("SETITEMS applied to " + PickledValues.describe(target));
        }
        return (Map<Object, Object>) target;
    }

    private static void putPairs(Map<Object, Object> dict, List<Object> items) {
        if (items.size() % 2 != 0) {
            throw new PickleException("odd number of items for a dict");
        }
        for (int i = 0; i < items.size(); i += 2) {
            dict.put(items.get(i), items.get(i + 1));
        }
    }

    /**
     * Razorvine allocates a length-prefixed value before reading it, so a corrupt length would
     * ask for gigabytes; check it against what the (in-memory) pickle still holds.
     */
    private void requireAvailable(short opcode, int lengthBytes) throws IOException {
        input.mark(lengthBytes);
        byte[] raw = input.readNBytes(lengthBytes);
        int remaining = input.available();
        input.reset();
        if (raw.length < lengthBytes) {
            return; // razorvine reports the premature end itself
        }
        long length = 0;
        for (int i = lengthBytes - 1; i >= 0; i--) {
            length = (length << 8) | (raw[i] & 0xFF);
        }
        if (length < 0 || length > remaining) {
            throw new PickleException("opcode 0x" + Integer.toHexString(opcode) + " declares "
                    + Long.toUnsignedString(length) + " bytes but only " + remaining + " remain");
        }
    }
}
