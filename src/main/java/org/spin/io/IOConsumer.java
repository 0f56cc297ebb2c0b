package org.spin.io;

import java.io.IOException;

/** A consumer allowed to throw {@link IOException}, so writers can stream without wrapping. */
@FunctionalInterface
public interface IOConsumer<T> {
    void accept(T value) throws IOException;
}
