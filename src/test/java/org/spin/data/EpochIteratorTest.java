package org.spin.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.spin.SpinException;

class EpochIteratorTest {

    private static HostBatch batch(int step) {
        return new HostBatch(new float[] {step}, new int[] {step}, 1, step);
    }

    @Test
    void preservesStepOrderWhateverTheWorkerTiming() {
        IntFunction<HostBatch> jittery = step -> {
            try {
                Thread.sleep(ThreadLocalRandom.current().nextInt(3));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return batch(step);
        };
        List<Integer> steps = new ArrayList<>();
        try (EpochIterator it = new EpochIterator("test", 2, 40, 4, jittery)) {
            it.forEachRemaining(b -> steps.add(b.step()));
        }

        assertThat(steps).containsExactlyElementsOf(IntStream.range(2, 40).boxed().toList());
    }

    @Test
    void workerExceptionReachesTheConsumerAfterEarlierBatches() {
        IllegalArgumentException boom = new IllegalArgumentException("boom");
        EpochIterator it = new EpochIterator("test", 0, 10, 3, step -> {
            if (step == 4) {
                throw boom;
            }
            return batch(step);
        });
        for (int i = 0; i < 4; i++) {
            assertThat(it.next().step()).isEqualTo(i);
        }

        assertThatThrownBy(it::next)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("batch 4")
                .hasCause(boom);
        assertThat(it.hasNext()).isFalse();
        assertThat(it.workerThreads()).noneMatch(Thread::isAlive);
    }

    @Test
    void workerSpinExceptionKeepsItsOneLineMessage() {
        EpochIterator it = new EpochIterator("test", 0, 3, 2, step -> {
            throw new SpinException("file x is bad");
        });

        assertThatThrownBy(it::next).isInstanceOf(SpinException.class).hasMessage("file x is bad");
    }

    @Test
    void closeIsIdempotent() {
        EpochIterator it = new EpochIterator("test", 0, 100, 2, EpochIteratorTest::batch);

        it.close();
        it.close();

        assertThat(it.hasNext()).isFalse();
    }
}
