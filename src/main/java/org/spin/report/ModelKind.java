package org.spin.report;

import org.spin.sweep.RunResult;

/** How a model's weights came about, which decides its marker in the family figures. */
public enum ModelKind {
    /** The baseline family: every layer its own weights, scaled by width and depth. */
    UNSHARED("unshared"),
    /** Trained with weights shared across layers (SPIN). */
    SHARED("shared"),
    /** Shared weights obtained by fusing a trained unshared model's layers. */
    FUSION("fusion");

    private final String label;

    ModelKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    static ModelKind of(RunResult run) {
        return run.fusion() ? FUSION : run.shared() ? SHARED : UNSHARED;
    }
}
