package org.spin.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.spin.SpinException;
import org.spin.config.SpinConfig;
import org.spin.model.Architecture;
import org.spin.model.Models;
import org.spin.model.ParameterCount;
import org.spin.model.Preset;
import org.spin.model.Presets;
import org.spin.model.SpinModel;

/** The optimizer, and so the global-norm clipping, sees each tensor once, however often it is listed. */
class OptimizerSlotsTest {

    private static SpinConfig shared() {
        return Presets.get("convmixer_64_8").applyTo(SpinConfig.defaults())
                .with("CONVMIXER.WEIGHT_SHARE.ENABLE", true).with("CONVMIXER.WEIGHT_SHARE.SHARE_RATE", 4)
                .with("CONVMIXER.WEIGHT_SHARE.SCOPE", "both");
    }

    @Test
    void aSharedModelsSlotsAreEachUpdatedOnce() {
        try (NDManager m = NDManager.newBaseManager()) {
            SpinModel model = Models.build(shared(), m, 28);
            List<Optimizer.Slot> slots = DecayGroups.slots(model, 0.1, false);
            assertThat(slots.stream().mapToLong(s -> s.param().getArray().size()).sum())
                    .isEqualTo(ParameterCount.unique(model));
            assertThat(slots.stream().map(Optimizer.Slot::param).distinct()).hasSameSizeAs(slots);
        }
    }

    @Test
    void aSharedTensorIsOneSlotThoughDjlListsItOncePerReadingBlock() {
        try (NDManager m = NDManager.newBaseManager()) {
            SpinModel model = Models.build(shared(), m, 28);
            List<Parameter> djl = model.getParameters().values();
            Set<Parameter> unique = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
            unique.addAll(djl);
            assertThat(djl.size()).as("DJL lists a shared tensor per block that reads it").isGreaterThan(unique.size());
            Set<Parameter> inStateDict = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
            inStateDict.addAll(model.stateDict().values());
            assertThat(model.stateDict()).hasSameSizeAs(unique);
            assertThat(inStateDict).isEqualTo(unique);
            List<Optimizer.Slot> slots = DecayGroups.slots(model, 0.1, false);
            assertThat(slots).hasSize((int) unique.stream().filter(Parameter::requiresGradient).count());
        }
    }

    /**
     * The explicit rule exempts exactly what the parameter types (GAMMA, BETA) used to, for every
     * preset, scope, sharing, reduction and relaxation: no model trains differently than before.
     */
    @Test
    void noWeightDecayExemptsWhatTheParameterTypesDidBefore() {
        int built = 0;
        for (Preset p : Presets.all()) {
            SpinConfig base = p.applyTo(SpinConfig.defaults());
            Architecture a = Models.architecture(base);
            String ws = Models.weightShare(base);
            List<String> scopes = new java.util.ArrayList<>(a.scopes().names());
            scopes.addAll(a.scopes().aliases().keySet());
            for (String scope : scopes) {
                for (String reduction : List.of("None", "mean", "choose_first")) {
                    for (String relaxation : List.of("none", "dynamic", "lora")) {
                        SpinConfig cfg = base.with(ws + "ENABLE", true).with(ws + "SHARE_RATE", 2).with(ws + "SCOPE", scope)
                                .with(ws + "REDUCTION_FN", reduction).with(ws + "RELAXATION", relaxation);
                        SpinModel model;
                        try {
                            model = a.create(cfg, p.imageSize());
                        } catch (SpinException notBuildable) {
                            continue; // e.g. a relaxation of a scope without matrices
                        }
                        built++;
                        Set<String> exempt = new TreeSet<>();
                        Set<String> byType = new TreeSet<>();
                        for (Optimizer.Slot slot : DecayGroups.slots(model, 0.1, false)) {
                            if (slot.weightDecay() == 0) {
                                exempt.add(slot.name());
                            }
                            Parameter.Type t = slot.param().getType();
                            if (t == Parameter.Type.GAMMA || t == Parameter.Type.BETA) {
                                byType.add(slot.name());
                            }
                        }
                        assertThat(exempt).as(p.name() + " " + scope + " " + reduction + " " + relaxation)
                                .isNotEmpty().isEqualTo(byType);
                    }
                }
            }
        }
        assertThat(built).isGreaterThan(100);
    }

    /**
     * DeiT-Ti under timm's rule, counted by hand from its shapes: only the patch embedding's
     * kernel, the four matrices of each of the 12 blocks and the head's matrix decay.
     */
    @Test
    void timmsRuleDecaysOnlyDeitTinysMatrices() {
        try (NDManager m = NDManager.newBaseManager()) {
            SpinModel model = Models.build(Presets.get("deit_tiny_patch16_224").applyTo(SpinConfig.defaults()), m, 224);
            long c = 192;
            long matrices = 3 * 16 * 16 * c + 12 * (c * 3 * c + c * c + c * 4 * c + 4 * c * c) + c * 1000;
            long decayed = 0;
            long all = 0;
            for (Optimizer.Slot s : DecayGroups.slots(model, 0.05, true)) {
                all += s.param().getArray().size();
                if (s.weightDecay() != 0) {
                    assertThat(s.weightDecay()).isEqualTo(0.05);
                    assertThat(s.param().getArray().getShape().dimension()).as(s.name()).isGreaterThan(1);
                    decayed += s.param().getArray().size();
                }
            }
            assertThat(all).isEqualTo(5_717_416);
            assertThat(decayed).isEqualTo(matrices).isEqualTo(5_647_872);
            assertThat(Recipe.zeroWd1d(Presets.get("deit_tiny_patch16_224").applyTo(SpinConfig.defaults()))).isTrue();
            assertThat(Recipe.zeroWd1d(SpinConfig.defaults())).as("ConvMixer, as the reference").isFalse();
        }
    }
}
