package org.spin.data;

import org.spin.SpinException;

/**
 * A data set that lives at its default location (a Debian package's folder) is not installed
 * there. The command line can install the package and go on; a library caller gets the message.
 */
public final class MissingDataSet extends SpinException {

    private final String debianPackage;

    public MissingDataSet(String message, String debianPackage) {
        super(message);
        this.debianPackage = debianPackage;
    }

    /** The Debian package that installs the data set at its default location. */
    public String debianPackage() {
        return debianPackage;
    }
}
