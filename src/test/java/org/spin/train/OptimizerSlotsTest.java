package org.spin.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.lang.reflect.Proxy;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.spin.config.SpinConfig;
import org.spin.model.Models;
import org.spin.model.ParameterCount;
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
            List<AdamW.Slot> slots = Trainer.slots(model, 0.1);
            assertThat(slots.stream().mapToLong(s -> s.param().getArray().size()).sum())
                    .isEqualTo(ParameterCount.unique(model));
            assertThat(slots.stream().map(AdamW.Slot::param).distinct()).hasSameSizeAs(slots);
        }
    }

    @Test
    void aTensorListedUnderTwoKeysIsOneSlot() {
        try (NDManager m = NDManager.newBaseManager()) {
            SpinModel model = Models.build(shared(), m, 28);
            // as DJL lists a block reused as a child: once per use
            Map<String, Parameter> twice = new LinkedHashMap<>(model.stateDict());
            model.stateDict().forEach((k, p) -> twice.put("alias." + k, p));
            SpinModel listedTwice = (SpinModel) Proxy.newProxyInstance(SpinModel.class.getClassLoader(),
                    new Class<?>[] {SpinModel.class}, (proxy, method, args) ->
                            method.getName().equals("stateDict") ? twice : method.invoke(model, args));
            List<AdamW.Slot> slots = Trainer.slots(listedTwice, 0.1);
            assertThat(slots).hasSameSizeAs(Trainer.slots(model, 0.1));
            Map<Parameter, Boolean> seen = new IdentityHashMap<>();
            slots.forEach(s -> assertThat(seen.put(s.param(), true)).as(s.name()).isNull());
        }
    }
}
