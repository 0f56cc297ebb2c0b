package org.spin.fuzz;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.PropagationMode;

/**
 * Every reader of outside bytes, fed mutated valid files: each case must end in a result or in one
 * {@link org.spin.SpinException} with a one-line message naming the input, within
 * {@link FuzzRunner#TIMEOUT_MS} and without allocating far beyond the input's size (see
 * {@link FuzzRunner}). {@code -Dspin.fuzzCases=N} sets the cases per reader (default 300);
 * {@code -Dspin.fuzzSeed=S} replays the seed jqwik reports with a failure; bench/fuzz runs many
 * more and prints the table.
 */
@AddLifecycleHook(value = FuzzCases.class, propagateTo = PropagationMode.ALL_DESCENDANTS)
class ReadersFuzzTest {

    @Property
    void safetensors(@ForAll("safetensorsCases") FuzzInput input) {
        FuzzRunner.check(Targets.SAFETENSORS, input);
    }

    @Property
    void weightFiles(@ForAll("weightFileCases") FuzzInput input) {
        FuzzRunner.check(Targets.WEIGHT_FILES, input);
    }

    @Property
    void torchStateDict(@ForAll("torchStateDictCases") FuzzInput input) {
        FuzzRunner.check(Targets.TORCH_STATE_DICT, input);
    }

    @Property
    void torchTopLevel(@ForAll("torchTopLevelCases") FuzzInput input) {
        FuzzRunner.check(Targets.TORCH_TOP_LEVEL, input);
    }

    @Property
    void idx(@ForAll("idxCases") FuzzInput input) {
        FuzzRunner.check(Targets.IDX, input);
    }

    @Property
    void fashionMnist(@ForAll("fashionMnistCases") FuzzInput input) {
        FuzzRunner.check(Targets.FASHION_MNIST, input);
    }

    @Property
    void cifar10(@ForAll("cifar10Cases") FuzzInput input) {
        FuzzRunner.check(Targets.CIFAR10, input);
    }

    @Property
    void imageFiles(@ForAll("imageFileCases") FuzzInput input) {
        FuzzRunner.check(Targets.IMAGE_FILES, input);
    }

    @Property
    void imageFolder(@ForAll("imageFolderCases") FuzzInput input) {
        FuzzRunner.check(Targets.IMAGE_FOLDER, input);
    }

    @Property
    void config(@ForAll("configCases") FuzzInput input) {
        FuzzRunner.check(Targets.CONFIG, input);
    }

    @Property
    void sweepSpec(@ForAll("sweepSpecCases") FuzzInput input) {
        FuzzRunner.check(Targets.SWEEP_SPEC, input);
    }

    @Property
    void runResults(@ForAll("runResultCases") FuzzInput input) {
        FuzzRunner.check(Targets.RUN_RESULTS, input);
    }

    @Property
    void resultFile(@ForAll("resultFileCases") FuzzInput input) {
        FuzzRunner.check(Targets.RESULT_FILE, input);
    }

    @Provide
    Arbitrary<FuzzInput> safetensorsCases() {
        return Targets.SAFETENSORS.inputs();
    }

    @Provide
    Arbitrary<FuzzInput> weightFileCases() {
        return Targets.WEIGHT_FILES.inputs();
    }

    @Provide
    Arbitrary<FuzzInput> torchStateDictCases() {
        return Targets.TORCH_STATE_DICT.inputs();
    }

    @Provide
    Arbitrary<FuzzInput> torchTopLevelCases() {
        return Targets.TORCH_TOP_LEVEL.inputs();
    }

    @Provide
    Arbitrary<FuzzInput> idxCases() {
        return Targets.IDX.inputs();
    }

    @Provide
    Arbitrary<FuzzInput> fashionMnistCases() {
        return Targets.FASHION_MNIST.inputs();
    }

    @Provide
    Arbitrary<FuzzInput> cifar10Cases() {
        return Targets.CIFAR10.inputs();
    }

    @Provide
    Arbitrary<FuzzInput> imageFileCases() {
        return Targets.IMAGE_FILES.inputs();
    }

    @Provide
    Arbitrary<FuzzInput> imageFolderCases() {
        return Targets.IMAGE_FOLDER.inputs();
    }

    @Provide
    Arbitrary<FuzzInput> configCases() {
        return Targets.CONFIG.inputs();
    }

    @Provide
    Arbitrary<FuzzInput> sweepSpecCases() {
        return Targets.SWEEP_SPEC.inputs();
    }

    @Provide
    Arbitrary<FuzzInput> runResultCases() {
        return Targets.RUN_RESULTS.inputs();
    }

    @Provide
    Arbitrary<FuzzInput> resultFileCases() {
        return Targets.RESULT_FILE.inputs();
    }

    /**
     * Prints the table, with each kind of failure once when going on after failures, and keeps
     * it in target/fuzz-table.txt for bench/fuzz; fails when any case failed.
     */
    @AfterContainer
    static void printTable() throws IOException {
        String table = FuzzRunner.TABLE.format(Targets.ALL.stream().map(FuzzTarget::name).toList())
                + FuzzRunner.TABLE.distinctFailures();
        System.out.println();
        System.out.print(table);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "fuzz-table.txt"), table, StandardCharsets.UTF_8);
        if (!FuzzRunner.TABLE.failures().isEmpty()) {
            throw new AssertionError(FuzzRunner.TABLE.failures().size() + " fuzz cases failed; first: "
                    + FuzzRunner.TABLE.failures().get(0));
        }
    }
}
