package org.spin.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spin.SpinException;
import org.spin.predict.TestImages;

class StreamingLoaderTest {

    private static final int SIDE = 12;
    private static final double[] SCALE = {0.08, 1.0};
    private static final double[] RATIO = {3.0 / 4, 4.0 / 3};

    @TempDir
    Path tmp;

    /** {@code n} images of varied sizes in 3 classes, PNG and JPEG, under train/ and val/. */
    private Path folder(int n) throws Exception {
        Path root = tmp.resolve("photos");
        for (String split : List.of("train", "val")) {
            for (int i = 0; i < n; i++) {
                Path dir = Files.createDirectories(root.resolve(split + "/c" + i % 3));
                TestImages.rgb(dir.resolve(String.format("i%03d.%s", i, i % 4 == 0 ? "jpg" : "png")),
                        TestImages.randomRgb(14 + i % 9, 17 + i % 5, i + (split.equals("val") ? 1000 : 0)));
            }
        }
        return root;
    }

    private static StreamingLoader train(Path root, int batch, int workers) {
        return new StreamingLoader(FileIndex.of(root, true),
                ImageTransform.train(SIDE, SCALE, RATIO, Resample.Filter.BICUBIC), batch, true, 7, 3,
                List.of(0.5), List.of(0.25), workers);
    }

    private static List<HostBatch> epoch(Loader loader, int epoch, int start) {
        List<HostBatch> out = new ArrayList<>();
        try (EpochIterator it = loader.epoch(epoch, start)) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    private static void assertSame(List<HostBatch> a, List<HostBatch> b) {
        assertThat(b).hasSameSizeAs(a);
        for (int i = 0; i < a.size(); i++) {
            assertThat(b.get(i).labels()).isEqualTo(a.get(i).labels());
            assertThat(b.get(i).images()).isEqualTo(a.get(i).images());
        }
    }

    @Test
    void theBatchesDoNotDependOnTheWorkerCountAndAResumeMidEpochSeesTheSameOnes() throws Exception {
        Path root = folder(30);
        List<HostBatch> one = epoch(train(root, 4, 1), 1, 0);
        List<HostBatch> three = epoch(train(root, 4, 3), 1, 0);
        assertThat(one).hasSize(7); // 30 images, full batches of 4
        assertSame(one, three);
        assertSame(one.subList(3, 7), epoch(train(root, 4, 2), 1, 3));
        assertThat(one.get(0).images()).hasSize(4 * 3 * SIDE * SIDE);
    }

    @Test
    void eachSampleIsAFunctionOfSeedEpochAndIndexAloneAndEpochsDrawAnew() throws Exception {
        Path root = folder(24);
        // the same order with batches of 4 and of 6: sample k of the epoch is the same tensor
        List<float[]> byFours = samples(epoch(train(root, 4, 2), 0, 0));
        List<float[]> bySixes = samples(epoch(train(root, 6, 2), 0, 0));
        assertThat(bySixes).hasSameSizeAs(byFours);
        for (int k = 0; k < byFours.size(); k++) {
            assertThat(bySixes.get(k)).isEqualTo(byFours.get(k));
        }
        // the next epoch crops and flips every image afresh
        Map<Integer, float[]> first = byLabelAndOrder(train(root, 4, 2), 0);
        Map<Integer, float[]> second = byLabelAndOrder(train(root, 4, 2), 1);
        long same = first.keySet().stream().filter(i -> java.util.Arrays.equals(first.get(i), second.get(i))).count();
        assertThat(same).isZero();
    }

    private static List<float[]> samples(List<HostBatch> batches) {
        List<float[]> out = new ArrayList<>();
        for (HostBatch b : batches) {
            int per = b.images().length / b.size();
            for (int i = 0; i < b.size(); i++) {
                out.add(java.util.Arrays.copyOfRange(b.images(), i * per, (i + 1) * per));
            }
        }
        return out;
    }

    /** Each sample of an epoch keyed by its index in the file index (the loader's shuffle, undone). */
    private static Map<Integer, float[]> byLabelAndOrder(StreamingLoader loader, int epoch) {
        int[] order = loader.order(epoch);
        List<float[]> s = samples(epoch(loader, epoch, 0));
        Map<Integer, float[]> out = new TreeMap<>();
        for (int k = 0; k < s.size(); k++) {
            out.put(order[k], s.get(k));
        }
        return out;
    }

    @Test
    void anUnreadableImageIsReportedOnceReplacedTheSameWayEveryTimeAndCounted() throws Exception {
        Path root = folder(30);
        Path bad = root.resolve("train/c1/i004.png");
        Files.write(bad, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        List<String> reports = new ArrayList<>();
        StreamingLoader loader = train(root, 5, 3).reportingTo(reports::add);
        List<HostBatch> e0 = epoch(loader, 0, 0);
        List<HostBatch> e1 = epoch(loader, 1, 0);
        assertThat(e0).hasSize(6);
        assertThat(e0).allSatisfy(b -> assertThat(b.size()).isEqualTo(5)); // every batch still full
        assertThat(reports).hasSize(1);
        assertThat(reports.get(0)).startsWith("skipping " + bad + ": not a readable image")
                .endsWith("(unreadable image 1; a replacement stands in)").doesNotContain("\n");
        assertThat(loader.unreadable()).isEqualTo(1);
        // a fresh loader that meets the file for the first time puts in the same replacement
        assertSame(e1, epoch(train(root, 5, 1), 1, 0));
    }

    @Test
    void aFolderWithTooManyUnreadableImagesStopsWithAnError() throws Exception {
        Path root = folder(30);
        for (int i = 1; i <= 12; i++) {
            Path f = root.resolve(String.format("train/c%d/i%03d.%s", i % 3, i, i % 4 == 0 ? "jpg" : "png"));
            Files.writeString(f, "not an image");
        }
        StreamingLoader loader = train(root, 5, 2);
        // two workers may each add one before either counts: 11 or 12, more than the 10 always tolerated
        assertThatThrownBy(() -> epoch(loader, 0, 0)).isInstanceOf(SpinException.class)
                .hasMessageMatching("image folder \\Q" + root.resolve("train") + "\\E: 1[12] of its 30 images are"
                        + " unreadable, more than 1%; expected a folder of readable JPEG/PNG images \\(latest: .*\\)")
                .hasMessageNotContaining("\n");
    }

    @Test
    void evaluationReadsEveryImageOnceInOrderAtTheCropSize() throws Exception {
        Path root = folder(10);
        StreamingLoader val = new StreamingLoader(FileIndex.of(root, false), ImageTransform.eval(SIDE,
                Resample.Filter.BILINEAR), 4, false, 7, 1, List.of(0.5), List.of(0.25), 2);
        List<HostBatch> batches = epoch(val, 0, 0);
        assertThat(batches).extracting(HostBatch::size).containsExactly(4, 4, 2);
        assertThat(batches.get(0).images()).hasSize(4 * SIDE * SIDE); // gray: one channel
        int[] labels = batches.stream().flatMapToInt(b -> java.util.Arrays.stream(b.labels())).toArray();
        assertThat(labels).isEqualTo(FileIndex.of(root, false).labels());
        assertSame(batches, epoch(val, 3, 0)); // no randomness in evaluation
        assertThat(val.head(3).size()).isEqualTo(3);
    }

    /**
     * Repeated augmentation as DeiT's sampler: each drawn image three times in a row, each copy
     * augmented anew and the same on a rerun; fewer than 256 images keep the whole set per epoch.
     */
    @Test
    void repeatedAugmentationDrawsEachImageThreeTimesEachAugmentedAnew() throws Exception {
        Path root = folder(30);
        Loader plain = train(root, 6, 2);
        Loader repeated = train(root, 6, 2).repeating(3);
        assertThat(repeated.epochSamples()).isEqualTo(30);
        assertThat(repeated.stepsPerEpoch()).isEqualTo(5);
        int[] order = repeated.order(4);
        assertThat(order).hasSize(30);
        java.util.Set<Integer> images = new java.util.HashSet<>();
        for (int k = 0; k < order.length; k++) {
            assertThat(repeated.sample(order[k])).isEqualTo(repeated.sample(order[k - k % 3]));
            assertThat(repeated.copy(order[k])).isEqualTo(k % 3);
            images.add(repeated.sample(order[k]));
        }
        assertThat(images).hasSize(10);
        List<HostBatch> batches = epoch(repeated, 4, 0);
        int floats = 3 * SIDE * SIDE;
        float[] first = batches.get(0).images();
        assertThat(java.util.Arrays.copyOfRange(first, 0, floats)).as("copy 0 and copy 1 of one image differ")
                .isNotEqualTo(java.util.Arrays.copyOfRange(first, floats, 2 * floats));
        assertThat(batches.get(0).labels()[0]).isEqualTo(batches.get(0).labels()[1]).isEqualTo(batches.get(0).labels()[2]);
        assertSame(batches, epoch(train(root, 6, 1).repeating(3), 4, 0));
        assertThat(plain.stepsPerEpoch()).isEqualTo(5);
        assertThat(train(root, 6, 1).repeating(3).epoch(4, 3).next().images())
                .as("a resumed epoch draws the same copies").isEqualTo(batches.get(3).images());
    }
}
