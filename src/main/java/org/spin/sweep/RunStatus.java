package org.spin.sweep;

import java.util.Locale;
import java.util.Optional;

/** Where a sweep run stands; only {@link #DONE} runs have results worth plotting or comparing. */
public enum RunStatus {
    DONE, FAILED, RUNNING;

    /** The spelling in {@code result.json}: {@code done}, {@code failed}, {@code running}. */
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<RunStatus> parse(String s) {
        for (RunStatus status : values()) {
            if (status.json().equals(s)) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }
}
