package org.spin;

/**
 * An error a user can act on: bad input (a config key or value, a file, a shape) rather than a
 * bug. The CLI prints its message as one line and exits non-zero, so the message must name the
 * input and what was expected.
 */
public class SpinException extends RuntimeException {

    public SpinException(String message) {
        super(message);
    }

    public SpinException(String message, Throwable cause) {
        super(message, cause);
    }
}
