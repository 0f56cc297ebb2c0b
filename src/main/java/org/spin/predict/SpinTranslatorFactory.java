package org.spin.predict;

import ai.djl.Model;
import ai.djl.modality.Classifications;
import ai.djl.modality.Input;
import ai.djl.modality.Output;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.translator.ImageServingTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorFactory;
import ai.djl.util.Pair;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Named by {@code translatorFactory} in a {@link ServingPackage}'s {@code serving.properties}:
 * gives our {@link SpinTranslator}, built from the config and class names of the checkpoint in the
 * model directory. {@code Image -> Classifications} for Java callers; {@code Input -> Output} for
 * DJL Serving, which asks for nothing else, through DJL's {@link ImageServingTranslator} (the
 * request's bytes decoded as an image, the classifications answered as JSON).
 */
public final class SpinTranslatorFactory implements TranslatorFactory {

    private static final Set<Pair<Type, Type>> SUPPORTED = Set.of(
            new Pair<>(Image.class, Classifications.class),
            new Pair<>(Input.class, Output.class));

    public SpinTranslatorFactory() {
        // DJL finds and builds this class by name
    }

    @Override
    public Set<Pair<Type, Type>> getSupportedTypes() {
        return SUPPORTED;
    }

    @Override
    @SuppressWarnings("unchecked") // the types are checked against the two pairs above
    public <I, O> Translator<I, O> newInstance(Class<I> input, Class<O> output, Model model,
                                               Map<String, ?> arguments) throws TranslateException {
        if (!isSupported(input, output)) {
            throw new TranslateException(getClass().getName() + " translates Image to Classifications"
                    + " (or Input to Output for DJL Serving), not " + input.getName() + " to " + output.getName());
        }
        Path dir = model.getModelPath();
        SpinTranslator translator = ServingPackage.read(dir, arguments).translator();
        if (input == Image.class) {
            return (Translator<I, O>) translator;
        }
        return (Translator<I, O>) new ImageServingTranslator(translator);
    }
}
