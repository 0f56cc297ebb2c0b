package org.spin.runtime;

import ai.djl.engine.Engine;
import java.util.function.Supplier;

/**
 * The engine's random generator is one per process (PyTorch's default CPU generator), so draws
 * made from it by two threads interleave. Every seeded draw goes through here: the seed and the
 * draws it governs happen under one lock, so a model built in one thread draws the same weights
 * whatever another thread is doing. Training-time randomness (dropout) does not use it at all.
 */
public final class EngineRandom {

    private static final Object LOCK = new Object();

    private EngineRandom() {}

    /** Seeds the engine's generator and runs {@code draws} before any other thread may draw. */
    public static <T> T seeded(long seed, Supplier<T> draws) {
        synchronized (LOCK) {
            Engine.getInstance().setRandomSeed((int) seed);
            return draws.get();
        }
    }
}
