package org.spin.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.spin.SpinException;

/** The judge of fuzz cases fails every way a reader can misbehave, so a green fuzz run means something. */
class FuzzRunnerTest {

    private static final FuzzInput INPUT = new FuzzInput(Seed.plain("ten bytes", "f.bin", new byte[10]), false, List.of());

    /** Judged with a minute to finish: only {@link #aHangFails} is about time (a loaded machine took 2 s to allocate). */
    private static FuzzRunner.Outcome judge(FuzzTarget.Reader reader) {
        return judge(reader, 60_000);
    }

    private static FuzzRunner.Outcome judge(FuzzTarget.Reader reader, long timeoutMs) {
        return FuzzRunner.judge(new FuzzTarget("test", List.of(INPUT.seed()), null, reader), INPUT, timeoutMs);
    }

    @Test
    void aReturnIsClean() {
        assertThat(judge((dir, file) -> "fine").kind()).isEqualTo(FuzzRunner.Kind.CLEAN);
    }

    @Test
    void aOneLineSpinExceptionNamingTheFileIsARefusal() {
        assertThat(judge((dir, file) -> {
            throw new SpinException(file + ": not a thing; expected a thing");
        }).kind()).isEqualTo(FuzzRunner.Kind.REFUSED);
    }

    @Test
    void anyOtherExceptionOrErrorFails() {
        assertThat(judge((dir, file) -> {
            throw new IllegalArgumentException("bad");
        }).signature()).startsWith("java.lang.IllegalArgumentException at ");
        assertThat(judge((dir, file) -> {
            throw new OutOfMemoryError("Java heap space");
        }).kind()).isEqualTo(FuzzRunner.Kind.FAILURE);
    }

    @Test
    void aSpinExceptionOverTwoLinesOrWithoutTheFileOrHugeFails() {
        assertThat(judge((dir, file) -> {
            throw new SpinException(file + ": bad\nsee elsewhere");
        }).detail()).contains("control character U+000A");
        assertThat(judge((dir, file) -> {
            throw new SpinException("bad file");
        }).detail()).contains("naming no input");
        assertThat(judge((dir, file) -> {
            throw new SpinException(file + ": " + "x".repeat(FuzzRunner.MAX_MESSAGE));
        }).detail()).contains("message of");
    }

    @Test
    void aHangFails() {
        FuzzRunner.Outcome outcome = judge((dir, file) -> {
            Thread.sleep(60_000);
            return null;
        }, 2_000);
        assertThat(outcome.detail()).isEqualTo("no result after 2000 ms");
    }

    @Test
    void allocatingFarBeyondTheInputFails() {
        FuzzRunner.Outcome outcome = judge((dir, file) -> new byte[(int) FuzzRunner.ALLOCATION_ALLOWANCE + (1 << 20)]);
        assertThat(outcome.detail()).startsWith("allocated ").contains("for 10 bytes of input");
    }

    @Test
    void theMessageCheckWantsAPathUnderTheCaseFolder() {
        Path dir = Path.of("/tmp/case");
        assertThat(FuzzRunner.messageProblem("/tmp/case/f.bin: bad", dir)).isNull();
        assertThat(FuzzRunner.messageProblem("f.bin: bad", dir)).contains("naming no input");
    }
}
