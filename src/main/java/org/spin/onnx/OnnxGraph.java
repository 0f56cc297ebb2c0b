package org.spin.onnx;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.spin.onnx.proto.OnnxModel.AttributeProto;
import org.spin.onnx.proto.OnnxModel.GraphProto;
import org.spin.onnx.proto.OnnxModel.ModelProto;
import org.spin.onnx.proto.OnnxModel.NodeProto;
import org.spin.onnx.proto.OnnxModel.OperatorSetIdProto;
import org.spin.onnx.proto.OnnxModel.StringStringEntryProto;
import org.spin.onnx.proto.OnnxModel.TensorProto;
import org.spin.onnx.proto.OnnxModel.TensorShapeProto;
import org.spin.onnx.proto.OnnxModel.TypeProto;
import org.spin.onnx.proto.OnnxModel.ValueInfoProto;

/**
 * An ONNX graph under construction, in the order a forward pass computes it: each op appends a
 * node and returns the name of its output, so a model's export reads like its forward.
 *
 * <p>Weights are initializers keyed by identity: the first {@link #weight} call for an object
 * stores its values, later calls for the same object return the same name. A shared weight that
 * every layer of its slot reads is therefore stored once and read by each of those layers' nodes,
 * which is what keeps the file at the compact model's size.
 *
 * <p>Operator set 17 (IR version 8): the newest that Debian's python3-onnx (1.12) checks, and it
 * has {@code LayerNormalization}. GELU (opset 20) is written with {@code Erf}.
 */
public final class OnnxGraph {

    public static final int OPSET = 17;
    public static final int IR_VERSION = 8;

    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private final Map<Object, String> weights = new IdentityHashMap<>();
    private final Map<String, String> constants = new HashMap<>();
    private final Map<String, Integer> used = new HashMap<>();
    private long weightBytes;

    public OnnxGraph(String name) {
        graph.setName(name);
    }

    // ---- values -------------------------------------------------------------------------------

    /**
     * A float input of shape {@code dims}; a negative dimension is symbolic, named {@code batch}
     * (any size at run time).
     */
    public String input(String name, long... dims) {
        graph.addInput(valueInfo(name, dims));
        return claim(name);
    }

    /** Names {@code value} as the graph's output {@code name} (an Identity node), of shape {@code dims}. */
    public void output(String value, String name, long... dims) {
        graph.addNode(NodeProto.newBuilder().setOpType("Identity").setName(name).addInput(value).addOutput(claim(name)));
        graph.addOutput(valueInfo(name, dims));
    }

    /**
     * The initializer holding {@code values} (row-major, shape {@code shape}) for {@code key}: stored
     * on the first call for that object only, under {@code name} (made unique if taken); later calls
     * read nothing from {@code values}, so a weight every layer of a slot reads is copied out once.
     */
    public String weight(Object key, String name, Supplier<float[]> read, long... shape) {
        String have = weights.get(key);
        if (have != null) {
            return have;
        }
        float[] values = read.get();
        if (Arrays.stream(shape).reduce(1, Math::multiplyExact) != values.length) {
            throw new IllegalArgumentException(name + ": " + values.length + " values for shape " + Arrays.toString(shape));
        }
        ByteBuffer raw = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        String unique = claim(name);
        graph.addInitializer(TensorProto.newBuilder().setName(unique).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .addAllDims(boxed(shape)).setRawData(ByteString.copyFrom(raw)));
        weightBytes += raw.capacity();
        weights.put(key, unique);
        return unique;
    }

    /** Bytes of weight values stored so far (4 per float). */
    public long weightBytes() {
        return weightBytes;
    }

    /** A small int64 constant (a shape, axes), stored once per distinct value list. */
    public String ints(long... values) {
        String key = Arrays.toString(values);
        return constants.computeIfAbsent(key, k -> {
            String name = claim("const_" + (values.length == 1 ? "i" : "shape"));
            graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE)
                    .addDims(values.length).addAllInt64Data(boxed(values)));
            return name;
        });
    }

    /** Slice {@code i} of axis {@code axis}, the axis removed (Gather with a 0-d index). */
    public String index(String x, long axis, long i) {
        String idx = constants.computeIfAbsent("i0d" + i, k -> {
            String name = claim("const_index");
            graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE)
                    .addInt64Data(i));
            return name;
        });
        return op("Gather", List.of(x, idx), attr("axis", axis));
    }

    /** A float scalar constant, stored once per value. */
    public String scalar(float value) {
        String key = "f" + Float.floatToIntBits(value);
        return constants.computeIfAbsent(key, k -> {
            String name = claim("const_f");
            graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                    .addFloatData(value));
            return name;
        });
    }

    // ---- ops ----------------------------------------------------------------------------------

    /** An attribute for {@link #op}: a long, float or long[]. */
    public record Attr(String name, Object value) {}

    public static Attr attr(String name, Object value) {
        return new Attr(name, value);
    }

    /** Appends node {@code opType} on {@code inputs}; returns its (single) output's name. */
    public String op(String opType, List<String> inputs, Attr... attrs) {
        String out = claim(opType.toLowerCase());
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(opType).setName(out).addAllInput(inputs).addOutput(out);
        for (Attr a : attrs) {
            n.addAttribute(attribute(a));
        }
        graph.addNode(n);
        return out;
    }

    public String op(String opType, String x, Attr... attrs) {
        return op(opType, List.of(x), attrs);
    }

    public String add(String a, String b) {
        return op("Add", List.of(a, b));
    }

    public String mul(String a, String b) {
        return op("Mul", List.of(a, b));
    }

    public String matMul(String a, String b) {
        return op("MatMul", List.of(a, b));
    }

    /** {@code x} (..., in) · Wᵀ + b with W (out, in) as PyTorch stores it; b may be null. */
    public String linear(String x, String weight, String bias) {
        String y = matMul(x, transposed(weight));
        return bias == null ? y : add(y, bias);
    }

    /** (B, in) · Wᵀ + b for a 2-D input, W (out, in): one Gemm node. */
    public String gemm(String x, String weight, String bias) {
        return op("Gemm", List.of(x, weight, bias), attr("transB", 1L));
    }

    /**
     * Wᵀ of a 2-D value, made once per value: every layer that reads a shared weight reads the
     * same transpose (ONNX Runtime folds it into a constant when it loads the model).
     */
    public String transposed(String weight) {
        return constants.computeIfAbsent("T:" + weight, k -> op("Transpose", weight, attr("perm", new long[] {1, 0})));
    }

    public String transpose(String x, long... perm) {
        return op("Transpose", x, attr("perm", perm));
    }

    /** Reshape to {@code shape}; 0 keeps the input's size on that axis (the batch), -1 infers one axis. */
    public String reshape(String x, long... shape) {
        return op("Reshape", List.of(x, ints(shape)));
    }

    /** 2-D convolution, NCHW, weight (out, in/groups, k, k), square stride and symmetric padding. */
    public String conv(String x, String weight, String bias, long stride, long pad, long groups) {
        return op("Conv", List.of(x, weight, bias), attr("strides", new long[] {stride, stride}),
                attr("pads", new long[] {pad, pad, pad, pad}), attr("group", groups));
    }

    public String relu(String x) {
        return op("Relu", x);
    }

    /**
     * Exact GELU, (x · (1 + erf(x / √2))) · ½, as {@code nn.GELU()}: in the order PyTorch's exporter
     * writes it, the pattern ONNX Runtime's optimizer fuses into one Gelu kernel.
     */
    public String gelu(String x) {
        String erf = op("Erf", op("Div", List.of(x, scalar((float) Math.sqrt(2.0)))));
        return mul(mul(x, add(erf, scalar(1f))), scalar(0.5f));
    }

    /** LayerNorm over the last axis with scale and offset (C). */
    public String layerNorm(String x, String gamma, String beta, float eps) {
        return op("LayerNormalization", List.of(x, gamma, beta), attr("axis", -1L), attr("epsilon", eps));
    }

    /** (B, C, h, w) → (B, C): the mean over the map. */
    public String globalAvgPool(String x) {
        return op("Flatten", op("GlobalAveragePool", x), attr("axis", 1L));
    }

    // ---- the model ----------------------------------------------------------------------------

    /** The model file's message: this graph, opset 17, our producer name and {@code metadata}. */
    public ModelProto model(String producerVersion, String doc, Map<String, String> metadata) {
        ModelProto.Builder m = ModelProto.newBuilder().setIrVersion(IR_VERSION).setProducerName("spin")
                .setProducerVersion(producerVersion).setDomain("org.spin").setModelVersion(1).setDocString(doc)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET)).setGraph(graph);
        new LinkedHashMap<>(metadata).forEach((k, v) ->
                m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return m.build();
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** {@code name}, or {@code name_2}, {@code name_3}… when taken: every value has one producer. */
    private String claim(String name) {
        int n = used.merge(name, 1, Integer::sum);
        return n == 1 ? name : name + "_" + n;
    }

    private static ValueInfoProto valueInfo(String name, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(d < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("batch")
                    : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape))).build();
    }

    private static AttributeProto attribute(Attr a) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(a.name());
        Object v = a.value();
        if (v instanceof Long || v instanceof Integer) {
            b.setType(AttributeProto.AttributeType.INT).setI(((Number) v).longValue());
        } else if (v instanceof Float f) {
            b.setType(AttributeProto.AttributeType.FLOAT).setF(f);
        } else if (v instanceof long[] is) {
            b.setType(AttributeProto.AttributeType.INTS).addAllInts(boxed(is));
        } else {
            throw new IllegalArgumentException(a.name() + ": attribute of type " + v.getClass());
        }
        return b.build();
    }

    private static List<Long> boxed(long[] values) {
        List<Long> out = new ArrayList<>(values.length);
        for (long v : values) {
            out.add(v);
        }
        return out;
    }
}
