package org.spin.io;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Writes pickle opcodes by hand so tests can craft exactly the streams torch.save (or an attacker) would. */
final class PickleBuilder {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static PickleBuilder protocol2() {
        PickleBuilder p = new PickleBuilder();
        p.op(0x80).op(2);
        return p;
    }

    PickleBuilder op(int opcode) {
        out.write(opcode);
        return this;
    }

    PickleBuilder raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    /** GLOBAL: {@code c module\nname\n}. */
    PickleBuilder global(String module, String name) {
        op('c');
        raw((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    /** Protocol-4 STACK_GLOBAL with module and name pushed as strings. */
    PickleBuilder stackGlobal(String module, String name) {
        return str(module).str(name).op(0x93);
    }

    PickleBuilder str(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        op('X').raw(int32(utf8.length)).raw(utf8);
        return this;
    }

    PickleBuilder integer(long v) {
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            return op('J').raw(int32((int) v));
        }
        byte[] b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
        return op(0x8a).op(8).raw(b);
    }

    PickleBuilder intTuple(long... values) {
        mark();
        for (long v : values) {
            integer(v);
        }
        return tuple();
    }

    /** BINFLOAT: 8-byte big-endian IEEE double. */
    PickleBuilder binFloat(double v) {
        return op('G').raw(ByteBuffer.allocate(8).putDouble(v).array());
    }

    PickleBuilder emptyList() {
        return op(']');
    }

    PickleBuilder append() {
        return op('a');
    }

    PickleBuilder mark() {
        return op('(');
    }

    PickleBuilder tuple() {
        return op('t');
    }

    PickleBuilder emptyTuple() {
        return op(')');
    }

    PickleBuilder emptyDict() {
        return op('}');
    }

    PickleBuilder setItem() {
        return op('s');
    }

    PickleBuilder setItems() {
        return op('u');
    }

    PickleBuilder reduce() {
        return op('R');
    }

    PickleBuilder binPersId() {
        return op('Q');
    }

    PickleBuilder build() {
        return op('b');
    }

    PickleBuilder stop() {
        return op('.');
    }

    /** {@code OrderedDict()} on the stack, as torch.save writes a state dict's container. */
    PickleBuilder orderedDict() {
        return global("collections", "OrderedDict").emptyTuple().reduce();
    }

    /**
     * {@code _rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict())} with a
     * persistent id {@code ('storage', torch.<type>, key, 'cpu', numel)}.
     */
    PickleBuilder tensor(String storageType, String key, long numel, long offset, long[] size, long[] stride) {
        global("torch._utils", "_rebuild_tensor_v2");
        mark();
        mark().str("storage").global("torch", storageType).str(key).str("cpu").integer(numel).tuple().binPersId();
        integer(offset).intTuple(size).intTuple(stride).op(0x89);
        orderedDict();
        tuple();
        return reduce();
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    private static byte[] int32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }
}
