package org.spin.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.modality.Input;
import ai.djl.modality.Output;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.DeferredTranslatorFactory;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spin.SpinException;
import org.spin.io.SafeTensors;
import org.spin.io.SafeTensorsFile;
import org.spin.model.SpinModel;

/**
 * A package written by {@link ServingPackage} loads from its directory alone, the factories named
 * in its {@code serving.properties}, and predicts what {@link TrainedModel#criteria()} predicts.
 */
class ServingPackageTest {

    @TempDir
    Path tmp;

    private Path checkpoint;
    private Path imageFile;
    private Path jar;

    @BeforeEach
    void tinyModelImageAndJar() throws IOException {
        checkpoint = TinyCheckpoints.write(tmp.resolve("run"), "best", "fashion_mnist", 1);
        imageFile = TestImages.gray(tmp.resolve("shirt.png"), TestImages.randomGray(28, 28, 21));
        jar = jarOfOurClasses(tmp.resolve("spin-test.jar"));
    }

    /**
     * Tests run from target/classes, not a jar: a jar of those classes stands in for spin.jar
     * (the package checks that one of its jars holds the factories).
     */
    private static Path jarOfOurClasses(Path out) throws IOException {
        Path classes;
        try {
            classes = Path.of(ServingPackage.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        try (OutputStream os = Files.newOutputStream(out);
             JarOutputStream jos = new JarOutputStream(os);
             Stream<Path> walk = Files.walk(classes.resolve("org/spin/predict"))) {
            for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
                jos.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                jos.write(Files.readAllBytes(f));
                jos.closeEntry();
            }
        }
        return out;
    }

    private Classifications viaTrainedModel(Image image) throws Exception {
        try (ZooModel<Image, Classifications> model = TrainedModel.read(checkpoint).criteria().loadModel();
             Predictor<Image, Classifications> predictor = model.newPredictor()) {
            return predictor.predict(image);
        }
    }

    @Test
    void criteriaGivenOnlyTheDirectoryPredictsWhatTrainedModelCriteriaPredicts() throws Exception {
        Path dir = tmp.resolve("served");
        ServingPackage.write(checkpoint, dir, List.of(jar));
        Image image = ImageFactory.getInstance().fromFile(imageFile);

        // No block, translator, engine or option from code: serving.properties names them all.
        // DeferredTranslatorFactory is DJL's way to say "the translator factory comes from
        // serving.properties": Criteria picks its factory before it reads the file, and would
        // otherwise fall back to DJL's generic ImageClassificationTranslator for Image -> Classifications.
        Criteria<Image, Classifications> criteria = Criteria.builder()
                .setTypes(Image.class, Classifications.class)
                .optModelPath(dir)
                .optTranslatorFactory(new DeferredTranslatorFactory())
                .build();
        Classifications got;
        try (ZooModel<Image, Classifications> model = criteria.loadModel();
             Predictor<Image, Classifications> predictor = model.newPredictor()) {
            assertThat(model.getBlock()).isInstanceOf(SpinModel.class);
            assertThat(model.getTranslator()).isInstanceOf(SpinTranslator.class);
            assertThat(model.getNDManager().getEngine().getEngineName()).isEqualTo("PyTorch");
            got = predictor.predict(image);
        }

        Classifications want = viaTrainedModel(image);
        assertThat(got.getClassNames()).isEqualTo(want.getClassNames()).hasSize(10);
        for (int i = 0; i < want.getProbabilities().size(); i++) {
            assertThat(got.getProbabilities().get(i)).isCloseTo(want.getProbabilities().get(i), within(1e-6));
        }
        assertThat(want.best().getProbability()).isGreaterThan(0.3); // not a uniform guess
    }

    /** Input -> Output from a file: URL, as DJL Serving's ModelInfo builds its Criteria. */
    @Test
    void djlServingsInputToOutputPathAnswersTheTopClassesAsJson() throws Exception {
        Path dir = tmp.resolve("served");
        ServingPackage.write(checkpoint, dir, List.of(jar));

        Criteria<Input, Output> criteria = Criteria.builder()
                .setTypes(Input.class, Output.class)
                .optModelUrls(dir.toUri().toString())
                .build();
        String json;
        try (ZooModel<Input, Output> model = criteria.loadModel();
             Predictor<Input, Output> predictor = model.newPredictor()) {
            Input request = new Input();
            request.add(Files.readAllBytes(imageFile));
            request.addProperty("Content-Type", "image/png");
            Output response = predictor.predict(request);
            assertThat(response.getProperty("Content-Type", null)).isEqualTo("application/json");
            json = response.getData().getAsString();
        }

        List<Classifications.Classification> want = viaTrainedModel(ImageFactory.getInstance().fromFile(imageFile)).topK(5);
        JsonArray got = JsonParser.parseString(json).getAsJsonArray();
        assertThat(got).hasSize(5);
        for (int i = 0; i < 5; i++) {
            JsonElement c = got.get(i);
            assertThat(c.getAsJsonObject().get("className").getAsString()).isEqualTo(want.get(i).getClassName());
            assertThat(c.getAsJsonObject().get("probability").getAsDouble())
                    .isCloseTo(want.get(i).getProbability(), within(1e-6));
        }
    }

    @Test
    void thePackageHoldsPropertiesTheCheckpointAndTheJarsAndReportsTheirSizes() throws Exception {
        Path dir = tmp.resolve("served");
        ServingPackage.Written written = ServingPackage.write(checkpoint, dir, List.of(jar));

        assertThat(written.dir()).isEqualTo(dir);
        assertThat(written.files()).extracting(ServingPackage.WrittenFile::path)
                .containsExactly("libs/spin-test.jar", "model.safetensors", "serving.properties");
        for (ServingPackage.WrittenFile f : written.files()) {
            assertThat(f.bytes()).isEqualTo(Files.size(dir.resolve(f.path()))).isPositive();
        }
        assertThat(written.totalBytes()).isEqualTo(written.files().stream().mapToLong(ServingPackage.WrittenFile::bytes).sum());
        assertThat(Files.readAllBytes(dir.resolve("model.safetensors"))).isEqualTo(Files.readAllBytes(checkpoint));
        assertThat(Files.readAllBytes(dir.resolve("libs/spin-test.jar"))).isEqualTo(Files.readAllBytes(jar));

        Properties p = new Properties();
        try (var r = Files.newBufferedReader(dir.resolve("serving.properties"))) {
            p.load(r);
        }
        assertThat(Map.copyOf(p)).containsOnly(
                Map.entry("engine", "PyTorch"),
                Map.entry("blockFactory", SpinBlockFactory.class.getName()),
                Map.entry("translatorFactory", SpinTranslatorFactory.class.getName()),
                Map.entry("weights", "model.safetensors"),
                Map.entry("option.hasParameter", "false"));
        // nothing beside the package: the temporary directory was renamed into place
        try (Stream<Path> siblings = Files.list(tmp)) {
            assertThat(siblings.map(s -> s.getFileName().toString()))
                    .containsExactlyInAnyOrder("run", "shirt.png", "spin-test.jar", "served");
        }
    }

    @Test
    void anEmptyExistingDirectoryIsFilled() {
        Path dir = tmp.resolve("empty");
        try {
            Files.createDirectory(dir);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        assertThat(ServingPackage.write(checkpoint, dir, List.of()).files())
                .extracting(ServingPackage.WrittenFile::path)
                .containsExactly("model.safetensors", "serving.properties");
    }

    private void assertRefusedInOneLineLeavingNothing(Path weights, Path dir, List<Path> jars, String named)
            throws IOException {
        List<Path> before;
        try (Stream<Path> s = Files.list(tmp)) {
            before = s.sorted().toList();
        }
        assertThatThrownBy(() -> ServingPackage.write(weights, dir, jars))
                .isInstanceOf(SpinException.class)
                .satisfies(e -> assertThat(e.getMessage()).startsWith(named + ": ").doesNotContain("\n"));
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.sorted().toList()).isEqualTo(before); // no package, no hidden temporary directory
        }
    }

    @Test
    void missingWeightsAreRefusedNamingTheFile() throws IOException {
        Path missing = tmp.resolve("nope.safetensors");
        assertRefusedInOneLineLeavingNothing(missing, tmp.resolve("served"), List.of(jar), missing.toString());
    }

    @Test
    void aNonEmptyTargetIsRefusedAndKeptAsItWas() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("taken"));
        Files.writeString(dir.resolve("keep.txt"), "mine");
        assertRefusedInOneLineLeavingNothing(checkpoint, dir, List.of(jar), dir.toString());
        assertThat(Files.readString(dir.resolve("keep.txt"))).isEqualTo("mine");
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s).hasSize(1);
        }
    }

    @Test
    void aJarThatDoesNotExistIsRefusedNamingIt() throws IOException {
        Path missing = tmp.resolve("libs-missing.jar");
        assertRefusedInOneLineLeavingNothing(checkpoint, tmp.resolve("served"), List.of(jar, missing), missing.toString());
    }

    @Test
    void jarsWithoutTheFactoriesAreRefused() throws IOException {
        Path other = tmp.resolve("other.jar");
        try (JarOutputStream jos = new JarOutputStream(Files.newOutputStream(other))) {
            jos.putNextEntry(new JarEntry("README.txt"));
            jos.write("not spin".getBytes(StandardCharsets.UTF_8));
            jos.closeEntry();
        }
        assertRefusedInOneLineLeavingNothing(checkpoint, tmp.resolve("served"), List.of(other), other.toString());
    }

    @Test
    void weightsWithoutTheirConfigAreRefused() throws IOException {
        SafeTensorsFile f = SafeTensors.read(checkpoint);
        Path bare = tmp.resolve("bare.safetensors");
        SafeTensors.write(bare, f.tensors());
        assertRefusedInOneLineLeavingNothing(bare, tmp.resolve("served"), List.of(jar), bare.toString());
    }

    @Test
    void aFactoryGivenADirectoryWithoutWeightsSaysWhichFileItMissed() {
        Path empty = tmp.resolve("run"); // holds best.safetensors, not model.safetensors
        assertThatThrownBy(() -> ServingPackage.read(empty, Map.of()))
                .isInstanceOf(SpinException.class)
                .hasMessageStartingWith(empty.resolve("model.safetensors") + ": weights not found");
    }

    @Test
    void runningJarsRefusesWhenOurClassesAreNotInAJar() {
        // tests run from target/classes; ./spin runs from target/spin.jar
        assertThatThrownBy(ServingPackage::runningJars)
                .isInstanceOf(SpinException.class)
                .hasMessageContaining("not a jar file, so our classes cannot be packaged")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
