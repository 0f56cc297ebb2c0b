package org.spin.predict;

import ai.djl.Model;
import ai.djl.nn.Block;
import ai.djl.nn.BlockFactory;
import java.nio.file.Path;
import java.util.Map;
import org.spin.model.SpinModel;

/**
 * DJL's hook for a model that is code plus weights rather than a TorchScript file: named by
 * {@code blockFactory} in a {@link ServingPackage}'s {@code serving.properties}, DJL (and DJL
 * Serving) instantiates it by its no-argument constructor and asks it for the block. The block is
 * our model built from the checkpoint in the model directory, in the {@code Model}'s manager (so
 * closing the model frees the weights), with frozen parameters as in {@link TrainedModel#criteria()}.
 */
public final class SpinBlockFactory implements BlockFactory {

    private static final long serialVersionUID = 1L;

    public SpinBlockFactory() {
        // DJL finds and builds this class by name
    }

    @Override
    public Block newBlock(Model model, Path modelPath, Map<String, ?> arguments) {
        SpinModel spin = ServingPackage.read(modelPath, arguments).newModel(model.getNDManager());
        spin.freezeParameters(true);
        return spin;
    }
}
