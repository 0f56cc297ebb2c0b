package org.spin.deploy;

import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.spin.SpinException;
import org.spin.config.SpinConfig;
import org.spin.data.DataConfig;
import org.spin.data.DataSources;
import org.spin.fusion.Fuse;
import org.spin.io.AtomicFiles;
import org.spin.model.Models;
import org.spin.model.ParameterCount;
import org.spin.model.SpinModel;
import org.spin.model.shared.OnnxExport;
import org.spin.model.shared.WeightFamily;
import org.spin.onnx.OnnxGraph;
import org.spin.onnx.proto.OnnxModel.ModelProto;
import org.spin.predict.ImageInput;
import org.spin.predict.TrainedModel;

/**
 * Writes a trained model as an ONNX file that ONNX Runtime (or any ONNX consumer) runs without
 * this tool: input {@code image} (batch, C, H, W) float, normalised as {@link #PREPROCESSING}
 * says; output {@code logits} (batch, classes). The batch axis is symbolic, any size.
 *
 * <p>Each shared slot's weight is one initializer read by every layer of the slot, so the file is
 * about the compact model's size, not the unshared one's: this is what the common exporters lose
 * (they trace a forward pass and store what each layer read). A fusion model is written as its
 * fused slots (what {@code spin fuse} gives); a relaxed layer's weight is computed in the graph
 * from the shared weight and the layer's own terms.
 *
 * <p>The metadata carries what a consumer needs to feed it: {@code preprocessing} (JSON: channels,
 * side, resize and crop, mean and std), {@code classes} (JSON list, index = logit), and
 * {@code spin.config}, the model's whole config, from which {@link OnnxClassifier} rebuilds our
 * exact input pipeline.
 */
public final class OnnxExporter {

    /** Metadata keys. */
    public static final String PREPROCESSING = "preprocessing";
    public static final String CLASSES = "classes";
    public static final String CONFIG = "spin.config";

    /**
     * What was written.
     *
     * @param fileBytes the file's size
     * @param weightBytes the initializers' values (4 bytes each): every stored tensor once
     * @param initializers weight initializers (shapes and constants not counted)
     * @param uniqueParams trainable parameters, each shared slot once; for a fusion model, those of
     *     its compact twin, which is what the file holds
     * @param unsharedParams the same model with every layer its own weights
     */
    public record Written(Path file, long fileBytes, long weightBytes, int initializers, long uniqueParams,
                          long unsharedParams) {

        /** The graph and metadata: everything but the weights. */
        public long graphBytes() {
            return fileBytes - weightBytes;
        }

        /** What the unshared model's weights alone would take (4 bytes per parameter). */
        public long unsharedBytes() {
            return unsharedParams * 4;
        }
    }

    private OnnxExporter() {}

    /**
     * Exports the model {@code trained} describes to {@code output} (atomically: a failure leaves no file).
     *
     * @throws SpinException naming the input when the weights do not fit the config or the path cannot be written
     */
    public static Written write(TrainedModel trained, Path output, NDManager parent) {
        try (NDManager m = parent.newSubManager()) {
            return write(trained.newModel(m), trained.cfg(), trained.classNames(), output);
        }
    }

    /**
     * Exports {@code model}, built from {@code cfg} (its input is {@link ImageInput#of}{@code (cfg)}),
     * to {@code output}, atomically.
     *
     * @param classes one name per logit
     */
    public static Written write(SpinModel model, SpinConfig cfg, List<String> classes, Path output) {
        return write(model, cfg, ImageInput.of(cfg), classes, output);
    }

    /** As {@link #write(SpinModel, SpinConfig, List, Path)} for an input other than the config's data set's (a benchmark's). */
    public static Written write(SpinModel model, SpinConfig cfg, ImageInput input, List<String> classes, Path output) {
        if (Files.isDirectory(output)) {
            throw new SpinException(output + ": is a directory; expected the .onnx file to write");
        }
        int size = input.size();
        int numClasses = cfg.getInt("MODEL.NUM_CLASSES");
        try (NDManager scope = NDManager.newBaseManager()) {
            OnnxGraph g = new OnnxGraph(Models.section(cfg).toLowerCase(Locale.ROOT));
            String image = g.input("image", -1, input.channels(), size, size);
            String logits = model.toOnnx(new OnnxExport(g, model.stateDict(), scope), image);
            g.output(logits, "logits", -1, numClasses);
            ModelProto proto = g.model(version(), "SPIN " + Models.section(cfg) + " exported by spin; input 'image' "
                    + "(batch, " + input.channels() + ", " + size + ", " + size + ") normalised as metadata '"
                    + PREPROCESSING + "'; output 'logits' (batch, " + numClasses + ")", metadata(cfg, classes, input));
            AtomicFiles.write(output, proto::writeTo);
            int initializers = (int) proto.getGraph().getInitializerList().stream()
                    .filter(t -> !t.getName().startsWith("const_")).count();
            // a fusion model is written as its compact twin: count that model's parameters, not the sources
            boolean fuses = model.sharedTensors().stream().anyMatch(WeightFamily::fuses);
            long unique = fuses ? Models.cost(Fuse.compactConfig(cfg, model), size).uniqueParams()
                    : ParameterCount.unique(model);
            return new Written(output, proto.getSerializedSize(), g.weightBytes(), initializers, unique,
                    Models.cost(cfg, size).unsharedParams());
        }
    }

    private static Map<String, String> metadata(SpinConfig cfg, List<String> classes, ImageInput input) {
        Gson gson = new GsonBuilder().disableHtmlEscaping().create();
        DataConfig data = DataConfig.from(cfg);
        Map<String, Object> pre = new LinkedHashMap<>();
        pre.put("layout", "NCHW float32");
        pre.put("channels", input.channels() == 1 ? "1: gray (BT.601 luma of RGB)" : "3: RGB (gray replicated)");
        pre.put("size", input.size());
        pre.put("resize", DataSources.evalTransform(data) == null
                ? "stretch to " + input.size() + "x" + input.size() + " (area when shrinking, bilinear when enlarging),"
                        + " on 8-bit pixels"
                : "shorter side to int(" + input.size() + " * 256 / 224) with Pillow's " + data.interpolation()
                        + ", then the centre " + input.size() + "x" + input.size() + " crop");
        pre.put("normalise", "(pixel / 255 - mean[c]) / std[c]");
        pre.put("mean", data.mean());
        pre.put("std", data.std());
        Map<String, String> out = new LinkedHashMap<>();
        out.put(PREPROCESSING, gson.toJson(pre));
        out.put(CLASSES, gson.toJson(classes));
        out.put(CONFIG, cfg.toJson());
        return out;
    }

    private static String version() {
        String v = OnnxExporter.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** The classes a file's metadata names, in logit order. */
    static List<String> classes(String json) {
        return List.of(new Gson().fromJson(json, String[].class));
    }
}
