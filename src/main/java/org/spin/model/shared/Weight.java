package org.spin.model.shared;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;

/**
 * The weight a layer reads in one forward pass. Layers that share a slot hold the same instance
 * (given by {@link WeightStack#layer}), so sharing is by reference: a plain shared weight is one
 * {@link Parameter} that every layer of its slot reads, and its gradient sums theirs.
 */
public sealed interface Weight permits Weight.Plain, Weight.Fused, Weight.Relaxed {

    /** The value in {@code pass}: the parameter's own array when plain (no copy), else built in the pass's scope. */
    NDArray in(Pass pass);

    /** Every parameter it reads, each once: what a block that reads it lists to DJL. */
    List<Parameter> parameters();

    /** One parameter, read as it is. */
    record Plain(Parameter parameter) implements Weight {

        @Override
        public NDArray in(Pass pass) {
            return parameter.getArray();
        }

        @Override
        public List<Parameter> parameters() {
            return List.of(parameter);
        }
    }

    /**
     * Weight fusion: a slot's weight reduced from its group's sources (one per layer of the group,
     * in layer order), once per pass whichever layer reads it first. Matrices (rank ≥ 2) reduce
     * with the reduction's weights; vectors (biases, norm scales) by the plain mean.
     *
     * @param reductionWeights one per source, or empty when the reduction has none
     */
    record Fused(Reduction reduction, List<Parameter> sources, List<Parameter> reductionWeights) implements Weight {

        @Override
        public NDArray in(Pass pass) {
            return pass.once(this, this::reduce);
        }

        private NDArray reduce(NDManager scope) {
            List<NDArray> ws = sources.stream().map(Parameter::getArray).toList();
            if (ws.get(0).getShape().dimension() < 2) {
                return reduction.bias(scope, ws);
            }
            List<NDArray> rs = reductionWeights.isEmpty() ? null : reductionWeights.stream().map(Parameter::getArray).toList();
            return reduction.weight(scope, ws, rs);
        }

        @Override
        public List<Parameter> parameters() {
            List<Parameter> out = new ArrayList<>(sources);
            out.addAll(reductionWeights);
            return out;
        }
    }

    /**
     * A shared weight plus one layer's own term ({@link Relaxation}): one instance per layer,
     * around the weight its slot's layers share.
     *
     * @param terms the layer's relaxation parameters, as {@link Relaxation} makes them
     */
    record Relaxed(Weight shared, Relaxation relaxation, List<Parameter> terms) implements Weight {

        @Override
        public NDArray in(Pass pass) {
            return relaxation.apply(pass.scope(), shared.in(pass), terms.toArray(Parameter[]::new));
        }

        @Override
        public List<Parameter> parameters() {
            List<Parameter> out = new ArrayList<>(shared.parameters());
            out.addAll(terms);
            return out;
        }

        /**
         * LoRA only: B·A starts as the rank-k truncated SVD of {@code target − shared}, so this layer
         * starts closer to {@code target} (its trained unshared weight) than the shared weight alone.
         */
        void startTowards(Pass pass, NDArray target) {
            if (relaxation.kind() != Relaxation.Kind.LORA) {
                return;
            }
            NDArray diff = org.spin.model.layers.Scoped.lead(pass.scope(), target).sub(shared.in(pass));
            long rows = diff.getShape().get(0);
            LowRank.Factors f = LowRank.truncatedSvd(diff.toFloatArray(), (int) rows, (int) (diff.size() / rows),
                    relaxation.rank());
            terms.get(0).getArray().set(f.a());
            terms.get(1).getArray().set(f.b());
        }
    }
}
