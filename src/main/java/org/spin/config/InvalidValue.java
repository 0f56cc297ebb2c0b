package org.spin.config;

/**
 * Thrown by value coercion when a value does not fit its key. It carries only what was expected,
 * because the caller knows best how to show what was given: an override shows the user's own
 * text, a file shows the parsed YAML value, and both prefix the source and key.
 */
final class InvalidValue extends RuntimeException {

    private final String expectation;

    InvalidValue(String expectation) {
        super(expectation, null, false, false);
        this.expectation = expectation;
    }

    /** For example "a number" or "one of RELU, GELU". */
    String expectation() {
        return expectation;
    }
}
