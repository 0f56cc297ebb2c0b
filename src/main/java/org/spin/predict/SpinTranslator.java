package org.spin.predict;

import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import java.util.List;
import org.spin.SpinException;

/**
 * DJL's image-classification contract for our models: an {@link Image} in, preprocessed as in
 * training ({@link ImageInput}); the logits out as softmax probabilities over the class names.
 * Batching is DJL's default (stack the (C, H, W) inputs, split the (B, classes) logits).
 */
public final class SpinTranslator implements Translator<Image, Classifications> {

    private final ImageInput input;
    private final List<String> classNames;

    public SpinTranslator(ImageInput input, List<String> classNames) {
        this.input = input;
        this.classNames = List.copyOf(classNames);
    }

    public ImageInput input() {
        return input;
    }

    public List<String> classNames() {
        return classNames;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, Image image) {
        return new NDList(input.toTensor(image, ctx.getNDManager()));
    }

    @Override
    public Classifications processOutput(TranslatorContext ctx, NDList list) {
        NDArray logits = list.singletonOrThrow(); // (classes,)
        if (logits.size() != classNames.size()) {
            throw new SpinException("the model gives " + logits.size() + " logits but there are "
                    + classNames.size() + " class names; expected one name per class (MODEL.NUM_CLASSES)");
        }
        return new Classifications(classNames, logits.softmax(-1));
    }
}
