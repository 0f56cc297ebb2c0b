package org.spin.predict;

import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.BlockFactory;
import ai.djl.repository.zoo.Criteria;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.spin.SpinException;
import org.spin.config.SpinConfig;
import org.spin.io.CheckpointFormat;
import org.spin.io.SafeTensorsFile;
import org.spin.io.WeightFiles;
import org.spin.model.Models;
import org.spin.model.SpinModel;
import org.spin.model.StateDicts;

/**
 * A weights file with what gives it meaning: the config (our checkpoints carry theirs) and the
 * class names; and DJL's way to run it, a {@link Criteria} for a
 * {@code ZooModel<Image, Classifications>}.
 *
 * @param file where the weights came from, for error messages
 * @param weights the tensors under the reference's keys, and the file's metadata
 * @param cfg the model's architecture, input channels and normalisation
 */
public record TrainedModel(Path file, SafeTensorsFile weights, SpinConfig cfg) {

    /** Our checkpoint with its own config; a file without one (the reference's .pth) gets the defaults. */
    public static TrainedModel read(Path file) {
        SafeTensorsFile f = WeightFiles.read(file);
        String own = f.metadata().get("config");
        return new TrainedModel(file, f, own == null ? SpinConfig.defaults() : SpinConfig.fromJson(own));
    }

    /** The same weights under another config, e.g. the reference's .pth with its YAML. */
    public TrainedModel withConfig(SpinConfig other) {
        return new TrainedModel(file, weights, other);
    }

    /**
     * One name per output: the checkpoint's (metadata {@code classes}), then "class i" for any
     * output it does not name (a file without names, or MODEL.NUM_CLASSES above the data set's).
     */
    public List<String> classNames() {
        int classes = cfg.getInt("MODEL.NUM_CLASSES");
        List<String> saved = CheckpointFormat.classNames(weights.metadata(), file);
        if (saved.size() > classes) {
            throw new SpinException(file + ": metadata 'classes' names " + saved.size()
                    + " classes but the model has " + classes + " outputs (MODEL.NUM_CLASSES)");
        }
        List<String> names = new ArrayList<>(saved);
        for (int i = saved.size(); i < classes; i++) {
            names.add("class " + i);
        }
        return List.copyOf(names);
    }

    public ImageInput input() {
        return ImageInput.of(cfg);
    }

    /** Builds the model in {@code manager} (which owns its parameters) and loads the weights. */
    public SpinModel newModel(NDManager manager) {
        SpinModel model = Models.build(cfg, manager, input().size());
        StateDicts.load(model, weights, file);
        return model;
    }

    public SpinTranslator translator() {
        return new SpinTranslator(input(), classNames());
    }

    /**
     * {@code criteria().loadModel()} gives a {@code ZooModel} whose block is this model, built in
     * the ZooModel's own manager (closing it frees the weights), and whose predictors take images.
     * The parameters are frozen, as DJL freezes the PyTorch modules it loads: a prediction then
     * records no autograd graph. The device is DJL's default (the first GPU PyTorch sees, else the
     * CPU), not the config's {@code NUM_GPUS}, which says where the model was trained; choose
     * another with {@code criteria().toBuilder().optDevice(...)}.
     */
    public Criteria<Image, Classifications> criteria() {
        BlockFactory withWeights = (model, dir, arguments) -> {
            SpinModel spin = newModel(model.getNDManager());
            spin.freezeParameters(true);
            return spin;
        };
        return Criteria.builder()
                .setTypes(Image.class, Classifications.class)
                .optModelPath(file)
                .optEngine("PyTorch")
                .optArgument("blockFactory", withWeights)
                // the block factory has loaded the weights: there is no DJL parameter file to read
                .optOption("hasParameter", "false")
                .optTranslator(translator())
                .build();
    }
}
