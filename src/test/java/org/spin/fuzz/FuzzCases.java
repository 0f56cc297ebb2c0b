package org.spin.fuzz;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Gives each fuzz property {@link FuzzRunner#CASES} tries, since {@code @Property(tries)} is fixed
 * at compile time, and the seed of {@code -Dspin.fuzzSeed=S} when given, so that the seed jqwik
 * reports for a failure replays it.
 */
public final class FuzzCases implements AroundPropertyHook {

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        context.attributes().setTries(FuzzRunner.CASES);
        String seed = System.getProperty("spin.fuzzSeed");
        if (seed != null && !seed.isBlank()) {
            context.attributes().setSeed(seed.strip());
        }
        return property.execute();
    }
}
