package org.spin.sweep;

import java.util.Map;

/**
 * One run of a sweep.
 *
 * @param name its directory under {@code runs/}, made from its settings
 * @param settings the swept keys and their values for this run (the sweep's axes)
 * @param teacher the run a fusion run starts from, or null
 */
public record SweepRun(String name, Map<String, Object> settings, String teacher) {}
