package org.spin.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

class NoSilentSkipsTest {

    @Test
    void anAbortedTestFailsExactlyWhenCiIsSet() {
        Throwable out = NoSilentSkips.failInCi(new TestAbortedException("chromium is not on PATH"));
        if (NoSilentSkips.inCi()) {
            assertThat(out).isInstanceOf(AssertionError.class).hasMessageContaining("chromium is not on PATH");
        } else {
            assertThat(out).isInstanceOf(TestAbortedException.class);
        }
    }

    @Test
    void otherFailuresPassThroughUnchanged() {
        IllegalStateException bug = new IllegalStateException("a bug");
        assertThat(NoSilentSkips.failInCi(bug)).isSameAs(bug);
    }
}
