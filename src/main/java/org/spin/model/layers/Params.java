package org.spin.model.layers;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;

/** Parameter builders with the reference's initialisation (PyTorch's conventions). */
public final class Params {

    private Params() {}

    /**
     * A conv weight [out, in/groups, kh, kw] drawn as {@code kaiming_normal_(mode="fan_out",
     * nonlinearity="relu")}: std = sqrt(2 / fan_out), fan_out = out·kh·kw (PyTorch ignores groups).
     */
    public static Parameter convWeight(String name, long out, long inPerGroup, long kh, long kw) {
        float std = (float) Math.sqrt(2.0 / (out * kh * kw));
        return Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(out, inPerGroup, kh, kw)).optInitializer(new NormalInitializer(std)).build();
    }

    public static Parameter zeros(String name, Parameter.Type type, long... shape) {
        return Parameter.builder().setName(name).setType(type).optShape(new Shape(shape))
                .optInitializer(Initializer.ZEROS).build();
    }

    /** A norm scale: ones, typed GAMMA (weight decay is {@code SpinModel.noWeightDecay}'s, not the type's). */
    public static Parameter gamma(String name, long channels) {
        return Parameter.builder().setName(name).setType(Parameter.Type.GAMMA)
                .optShape(new Shape(channels)).optInitializer(Initializer.ONES).build();
    }

    public static Parameter ones(String name, Shape shape) {
        return Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).optShape(shape)
                .optInitializer(Initializer.ONES).build();
    }

    public static Parameter normal(String name, float std, long... shape) {
        return Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).optShape(new Shape(shape))
                .optInitializer(new NormalInitializer(std)).build();
    }
}
