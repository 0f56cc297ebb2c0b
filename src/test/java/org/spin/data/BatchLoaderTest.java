package org.spin.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.spin.SpinException;

class BatchLoaderTest {

    private static final List<Double> ZERO = List.of(0.0);
    private static final List<Double> ONE = List.of(1.0);

    /** Sample i is a 1×1×2 image whose two pixels spell i in base 256; its label is i % 3. */
    private static ImageSet indexed(int n) {
        byte[] pixels = new byte[2 * n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            pixels[2 * i] = (byte) i;
            pixels[2 * i + 1] = (byte) (i >> 8);
            labels[i] = i % 3;
        }
        return new ImageSet(pixels, labels, n, 1, 1, 2, List.of("a", "b", "c"));
    }

    /** Recovers the sample indices of a batch built from {@link #indexed} with mean 0, std 1. */
    private static List<Integer> indices(HostBatch batch) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            out.add(Math.round(batch.images()[2 * i] * 255) + 256 * Math.round(batch.images()[2 * i + 1] * 255));
        }
        return out;
    }

    private static List<HostBatch> drain(EpochIterator it) {
        List<HostBatch> out = new ArrayList<>();
        try (it) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    private static BatchLoader augmentingLoader(int workers) {
        ImageSet data = SyntheticImages.generate(130, 5, 1, 8, 11);
        return new BatchLoader(data, 16, true, 99, 3, List.of(0.5), List.of(0.25), true, workers);
    }

    private static void assertSameBatches(List<HostBatch> a, List<HostBatch> b) {
        assertThat(a).hasSameSizeAs(b);
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i).step()).isEqualTo(b.get(i).step());
            assertThat(a.get(i).labels()).isEqualTo(b.get(i).labels());
            assertThat(a.get(i).images()).isEqualTo(b.get(i).images());
        }
    }

    @Test
    void sameSeedAndEpochGiveIdenticalBatchesWithOneOrThreeWorkers() {
        List<HostBatch> one = drain(augmentingLoader(1).epoch(4));
        List<HostBatch> three = drain(augmentingLoader(3).epoch(4));

        assertThat(one).hasSize(8);
        assertSameBatches(one, three);
    }

    @Test
    void differentEpochsGiveDifferentOrders() {
        BatchLoader loader = new BatchLoader(indexed(100), 10, true, 1, 1, ZERO, ONE, false, 2);

        assertThat(indices(drain(loader.epoch(0)).get(0))).isNotEqualTo(indices(drain(loader.epoch(1)).get(0)));
    }

    @Test
    void batchesHaveRequestedShapeWithGrayReplicatedToThreeChannels() {
        BatchLoader loader = augmentingLoader(2);
        HostBatch first = drain(loader.epoch(0)).get(0);

        assertThat(loader.outputChannels()).isEqualTo(3);
        assertThat(first.size()).isEqualTo(16);
        assertThat(first.images()).hasSize(16 * 3 * 8 * 8);
        assertThat(first.labels()).hasSize(16);
    }

    @Test
    void evalCoversEverySampleExactlyOnceInOrder() {
        BatchLoader loader = new BatchLoader(indexed(300), 64, false, 1, 1, ZERO, ONE, true, 3);
        List<Integer> seen = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<HostBatch> batches = drain(loader.epoch(0));
        for (HostBatch b : batches) {
            seen.addAll(indices(b));
            for (int label : b.labels()) {
                labels.add(label);
            }
        }

        assertThat(loader.stepsPerEpoch()).isEqualTo(5);
        assertThat(batches).extracting(HostBatch::size).containsExactly(64, 64, 64, 64, 44);
        assertThat(batches).extracting(HostBatch::step).containsExactly(0, 1, 2, 3, 4);
        for (int i = 0; i < 300; i++) {
            assertThat(seen.get(i)).isEqualTo(i);
            assertThat(labels.get(i)).isEqualTo(i % 3);
        }
        assertThat(seen).hasSize(300);
    }

    @Test
    void trainDropsLastPartialBatchAndEachEpochIsAPermutation() {
        BatchLoader loader = new BatchLoader(indexed(105), 10, true, 7, 1, ZERO, ONE, false, 2);
        assertThat(loader.stepsPerEpoch()).isEqualTo(10);
        for (int epoch = 0; epoch < 3; epoch++) {
            List<HostBatch> batches = drain(loader.epoch(epoch));
            List<Integer> seen = new ArrayList<>();
            batches.forEach(b -> seen.addAll(indices(b)));
            List<Integer> full = new ArrayList<>();
            for (int i : loader.order(epoch)) {
                full.add(i);
            }

            assertThat(batches).hasSize(10).allMatch(b -> b.size() == 10);
            assertThat(seen).doesNotHaveDuplicates().hasSize(100);
            assertThat(seen).isEqualTo(full.subList(0, 100));
            assertThat(full).containsExactlyInAnyOrderElementsOf(
                    IntStream.range(0, 105).boxed().toList());
        }
    }

    @Test
    void labelsTravelWithTheirImages() {
        BatchLoader loader = new BatchLoader(indexed(50), 8, true, 3, 1, ZERO, ONE, false, 2);
        for (HostBatch b : drain(loader.epoch(2))) {
            List<Integer> idx = indices(b);
            for (int i = 0; i < b.size(); i++) {
                assertThat(b.labels()[i]).isEqualTo(idx.get(i) % 3);
            }
        }
    }

    @Test
    void startStepSkipsExactlyThatManyBatches() {
        List<HostBatch> full = drain(augmentingLoader(2).epoch(3));
        List<HostBatch> resumed = drain(augmentingLoader(3).epoch(3, 5));

        assertSameBatches(resumed, full.subList(5, full.size()));
    }

    @Test
    void startStepAtEndGivesEmptyEpoch() {
        BatchLoader loader = augmentingLoader(2);

        assertThat(drain(loader.epoch(0, loader.stepsPerEpoch()))).isEmpty();
    }

    @Test
    void startStepBeyondEpochIsRejected() {
        BatchLoader loader = augmentingLoader(2);

        assertThatThrownBy(() -> loader.epoch(0, loader.stepsPerEpoch() + 1))
                .isInstanceOf(SpinException.class)
                .hasMessageContaining("step 9");
    }

    @Test
    void augmentationChangesTrainImagesButNotEvalImages() {
        ImageSet data = SyntheticImages.generate(64, 4, 1, 8, 2);
        BatchLoader plainTrain = new BatchLoader(data, 64, true, 5, 1, ZERO, ONE, false, 1);
        BatchLoader augTrain = new BatchLoader(data, 64, true, 5, 1, ZERO, ONE, true, 1);
        BatchLoader augEval = new BatchLoader(data, 64, false, 5, 1, ZERO, ONE, true, 1);
        BatchLoader plainEval = new BatchLoader(data, 64, false, 5, 1, ZERO, ONE, false, 1);

        HostBatch plain = drain(plainTrain.epoch(0)).get(0);
        HostBatch aug = drain(augTrain.epoch(0)).get(0);

        assertThat(aug.labels()).isEqualTo(plain.labels());
        assertThat(aug.images()).isNotEqualTo(plain.images());
        assertThat(drain(augEval.epoch(0)).get(0).images()).isEqualTo(drain(plainEval.epoch(0)).get(0).images());
    }

    @Test
    void closingEarlyStopsWorkerThreads() throws Exception {
        BatchLoader loader = new BatchLoader(indexed(1000), 10, true, 1, 1, ZERO, ONE, false, 3);
        EpochIterator it = loader.epoch(0);
        it.next();
        Thread.sleep(50); // let the workers fill their queues and block
        List<Thread> threads = it.workerThreads();
        assertThat(threads).hasSize(3).allMatch(Thread::isDaemon);

        it.close();

        assertThat(threads).noneMatch(Thread::isAlive);
        assertThat(it.hasNext()).isFalse();
    }

    @Test
    void finishingAnEpochStopsWorkerThreads() {
        EpochIterator it = new BatchLoader(indexed(100), 10, false, 1, 1, ZERO, ONE, false, 3).epoch(0);
        while (it.hasNext()) {
            it.next();
        }

        assertThat(it.workerThreads()).noneMatch(Thread::isAlive);
    }

    @Test
    void zeroWorkersIsRejected() {
        assertThatThrownBy(() -> new BatchLoader(indexed(10), 2, true, 1, 1, ZERO, ONE, false, 0))
                .isInstanceOf(SpinException.class)
                .hasMessageContaining("DATA_LOADER.NUM_WORKERS");
    }

    @Test
    void trainSetSmallerThanOneBatchIsRejected() {
        assertThatThrownBy(() -> new BatchLoader(indexed(10), 64, true, 1, 1, ZERO, ONE, false, 1))
                .isInstanceOf(SpinException.class)
                .hasMessageContaining("10 samples");
    }

    /** As DeiT's RASampler: an epoch of repeated augmentation draws the set's size rounded down to a multiple of 256. */
    @Test
    void repeatedAugmentationKeepsDeitsEpochLength() {
        BatchLoader loader = new BatchLoader(indexed(700), 64, true, 7, 1, ZERO, ONE, true, 2);
        assertThat(loader.stepsPerEpoch()).isEqualTo(10);
        loader.repeating(3);
        assertThat(loader.epochSamples()).isEqualTo(512);
        assertThat(loader.stepsPerEpoch()).isEqualTo(8);
        int[] order = loader.order(2);
        java.util.Set<Integer> images = new java.util.HashSet<>();
        for (int entry : order) {
            images.add(loader.sample(entry));
        }
        assertThat(images).hasSize(171); // ceil(512 / 3) images, each three times (the last twice)
        BatchLoader eval = new BatchLoader(indexed(700), 64, false, 7, 1, ZERO, ONE, false, 2);
        eval.repeating(3);
        assertThat(eval.epochSamples()).as("evaluation never repeats").isEqualTo(700);
    }
}
