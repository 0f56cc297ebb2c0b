package org.spin.deploy;

import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.onnxruntime.OnnxTensor;
import com.google.gson.JsonParseException;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.spin.SpinException;
import org.spin.config.SpinConfig;
import org.spin.data.EpochIterator;
import org.spin.data.HostBatch;
import org.spin.data.Loader;
import org.spin.predict.ImageInput;
import org.spin.runtime.ThreadBudget;

/**
 * An exported model ({@link OnnxExporter}) run by ONNX Runtime: no libtorch, no DJL engine. The
 * input pipeline is rebuilt from the file's own metadata ({@code spin.config}), so an image is
 * prepared exactly as {@code spin predict} prepares it for the libtorch model.
 */
public final class OnnxClassifier implements AutoCloseable {

    private final Path file;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final ImageInput input;
    private final List<String> classes;
    /** The graph's input (batch, C, H, W), batch symbolic: what {@link #logits} feeds. */
    private final long[] shape;

    private OnnxClassifier(Path file, OrtEnvironment env, OrtSession session, ImageInput input, List<String> classes)
            throws OrtException {
        this.shape = ((TensorInfo) session.getInputInfo().get("image").getInfo()).getShape();
        this.file = file;
        this.env = env;
        this.session = session;
        this.input = input;
        this.classes = classes;
    }

    /**
     * Opens {@code file} with {@code threads} intra-op threads; 0 or less means what this process may
     * use ({@link ThreadBudget}: OMP_NUM_THREADS, SLURM_CPUS_PER_TASK, else its affinity and quota),
     * as the PyTorch path decides, not ONNX Runtime's one thread per core of the machine.
     *
     * @throws SpinException naming the file when it is missing, not an ONNX model, or not one of ours
     */
    public static OnnxClassifier open(Path file, int threads) {
        if (Files.isDirectory(file)) {
            throw new SpinException(file + ": is a directory; expected an .onnx model written by spin export");
        }
        if (!Files.isRegularFile(file)) {
            throw new SpinException(file + ": no such file; expected an .onnx model written by spin export");
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session = null;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setIntraOpNumThreads(threads > 0 ? threads : ThreadBudget.detect().threads());
            options.setInterOpNumThreads(1);
            session = env.createSession(file.toString(), options);
            if (!session.getInputNames().contains("image") || !(session.getInputInfo().get("image").getInfo()
                    instanceof TensorInfo t) || t.getShape().length != 4) {
                throw new SpinException(file + ": its input is " + session.getInputNames()
                        + "; expected one 'image' of shape (batch, C, H, W), as spin export writes");
            }
            Map<String, String> meta = session.getMetadata().getCustomMetadata();
            String config = meta.get(OnnxExporter.CONFIG);
            String classes = meta.get(OnnxExporter.CLASSES);
            if (config == null || classes == null) {
                throw new SpinException(file + ": an ONNX model without spin's metadata ('" + OnnxExporter.CONFIG
                        + "', '" + OnnxExporter.CLASSES + "'); expected a file written by spin export");
            }
            return new OnnxClassifier(file, env, session, ImageInput.of(SpinConfig.fromJson(config)),
                    classNames(file, classes));
        } catch (OrtException e) {
            closeQuietly(session);
            throw new SpinException(file + ": ONNX Runtime cannot load it (" + firstLine(e) + "); expected an .onnx model",
                    e);
        } catch (RuntimeException e) {
            closeQuietly(session);
            throw e;
        }
    }

    private static List<String> classNames(Path file, String json) {
        try {
            return OnnxExporter.classes(json);
        } catch (JsonParseException | NullPointerException e) {
            throw new SpinException(file + ": metadata '" + OnnxExporter.CLASSES + "' is not a JSON list of names", e);
        }
    }

    /** How an image becomes the model's input. */
    public ImageInput input() {
        return input;
    }

    /** Class names, index = logit. */
    public List<String> classes() {
        return classes;
    }

    /**
     * The logits of a batch: {@code images} holds {@code batch} inputs (C, H, W) back to back,
     * normalised; returns (batch, classes) row-major.
     */
    public float[][] logits(float[] images, int batch) {
        long[] dims = {batch, shape[1], shape[2], shape[3]};
        if ((long) images.length != batch * dims[1] * dims[2] * dims[3]) {
            throw new SpinException(file + ": " + images.length + " input values for a batch of " + batch
                    + " images of " + dims[1] + "x" + dims[2] + "x" + dims[3]);
        }
        try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(images), dims);
             OrtSession.Result r = session.run(Map.of("image", x))) {
            if (!(r.get(0).getValue() instanceof float[][] logits)) {
                throw new SpinException(file + ": its output is not a (batch, classes) float tensor; expected 'logits'"
                        + " as spin export writes it");
            }
            return logits;
        } catch (OrtException e) {
            throw new SpinException(file + ": ONNX Runtime failed to run it: " + firstLine(e), e);
        }
    }

    /**
     * Top-1 accuracy over one pass of {@code loader} (evaluation batches: no augmentation), every
     * image through ONNX Runtime: the exported file's own accuracy, measured without libtorch.
     */
    public double top1(Loader loader) {
        long correct = 0;
        long seen = 0;
        int per = loader.outputChannels() * loader.height() * loader.width();
        try (EpochIterator it = loader.epoch(0)) {
            while (it.hasNext()) {
                HostBatch b = it.next();
                float[] images = b.images().length == b.size() * per ? b.images()
                        : Arrays.copyOf(b.images(), b.size() * per); // a last, short batch in a full-size buffer
                float[][] logits = logits(images, b.size());
                for (int i = 0; i < b.size(); i++) {
                    int best = 0;
                    for (int j = 1; j < logits[i].length; j++) {
                        best = logits[i][j] > logits[i][best] ? j : best;
                    }
                    correct += best == b.labels()[i] ? 1 : 0;
                }
                seen += b.size();
            }
        }
        return (double) correct / seen;
    }

    /** The image's class probabilities (softmax of the logits), prepared as {@link #input()} says. */
    public Classifications classify(Image image) {
        float[] logits = logits(input.toFloats(image), 1)[0];
        if (logits.length != classes.size()) {
            throw new SpinException(file + ": the model gives " + logits.length + " logits but its metadata names "
                    + classes.size() + " classes");
        }
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] e = new double[logits.length];
        for (int i = 0; i < e.length; i++) {
            e[i] = Math.exp(logits[i] - max);
            sum += e[i];
        }
        List<Double> p = new ArrayList<>(e.length);
        for (double v : e) {
            p.add(v / sum);
        }
        return new Classifications(classes, p);
    }

    @Override
    public void close() {
        closeQuietly(session);
    }

    private static void closeQuietly(OrtSession s) {
        if (s != null) {
            try {
                s.close();
            } catch (OrtException ignored) {
                // closing is best effort; the session is unusable either way
            }
        }
    }

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
