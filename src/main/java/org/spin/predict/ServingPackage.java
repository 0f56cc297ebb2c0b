package org.spin.predict;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.spin.SpinException;
import org.spin.io.AtomicDirectory;

/**
 * A model directory in DJL Serving's layout, so that DJL Serving (or DJL's {@code Criteria} given
 * only the directory) loads a checkpoint with our model and translator and no code of its own:
 *
 * <pre>
 * DIR/serving.properties   engine=PyTorch, blockFactory=SpinBlockFactory,
 *                          translatorFactory=SpinTranslatorFactory, weights=model.safetensors,
 *                          option.hasParameter=false
 * DIR/model.safetensors    the checkpoint, byte for byte (its metadata carries config and class names)
 * DIR/libs/*.jar           the jars given to {@link #write}: our classes and what they need
 * </pre>
 *
 * <p>How DJL reads it (0.36, {@code BaseModelLoader}): keys of {@code serving.properties} become
 * the model's arguments, except {@code option.*} keys, which become {@code Model.load}'s options
 * (here {@code hasParameter=false}: the block factory has loaded the weights, there is no DJL
 * {@code .params} file). {@code blockFactory} names a class found through the context class
 * loader or the directory's own jars, {@code translatorFactory} one found through the context
 * class loader. {@code libs/} is where DJL Serving's Java mode keeps a model's own code; a server
 * that does not put those jars on its class path finds them once they are copied into its
 * {@code deps/} folder, which it always loads. Both factories then read the weights from the
 * directory they are given ({@link #read}).
 *
 * <p>DJL Serving asks for {@code Input -> Output}; {@link SpinTranslatorFactory} gives that too
 * (our translator behind DJL's {@code ImageServingTranslator}: image bytes in, the top-5 classes
 * as JSON out). A Java caller with {@code Criteria<Image, Classifications>} must add
 * {@code optTranslatorFactory(new DeferredTranslatorFactory())}: {@code Criteria} settles on a
 * translator factory before it reads {@code serving.properties}, and DJL's deferred factory is the
 * one that waits for the file's {@code translatorFactory}.
 */
public final class ServingPackage {

    /** DJL Serving's per-model configuration file. */
    public static final String PROPERTIES = "serving.properties";
    /** The checkpoint's name inside the package. */
    public static final String WEIGHTS = "model.safetensors";
    /** The folder DJL Serving adds to its class path for a model's custom code. */
    public static final String LIBS = "libs";
    /** The {@code serving.properties} key (a model argument) naming the weights file in the directory. */
    public static final String WEIGHTS_ARGUMENT = "weights";

    private ServingPackage() {}

    /**
     * What {@link #write} wrote.
     *
     * @param dir the package directory
     * @param files every file in it, relative to {@code dir} with '/' separators, sorted
     */
    public record Written(Path dir, List<WrittenFile> files) {

        public Written {
            files = List.copyOf(files);
        }

        public long totalBytes() {
            return files.stream().mapToLong(WrittenFile::bytes).sum();
        }
    }

    /** One file of a package: its path relative to the package directory and its size. */
    public record WrittenFile(String path, long bytes) {}

    /**
     * Writes a DJL Serving model directory for {@code weights} at {@code dir}, atomically: the
     * directory appears complete or not at all, and a refused call leaves nothing behind.
     *
     * <p>{@code weights} must be our safetensors checkpoint, since its metadata carries the config
     * and class names the package is built from (the reference's {@code .pth} has neither); it is
     * checked by building the model and loading it before anything is written, so a package that
     * is written will load. {@code jars} are copied into {@code libs/} under their own names: pass
     * {@link #runningJars()} from an installed {@code spin} (our jar and the libraries our model
     * code needs beyond what DJL Serving ships), or an empty list where the server already has our
     * classes on its class path. When jars are given, one of them must hold the factories.
     *
     * @param weights our {@code .safetensors} checkpoint (with {@code config} in its metadata)
     * @param dir the directory to create; it must not exist, or be empty
     * @param jars jar files for {@code libs/}, distinct file names
     * @return the files written and their sizes
     * @throws SpinException in one line naming the input: weights missing, unreadable, without a
     *     config or not fitting it; {@code dir} existing and not an empty directory; a jar missing,
     *     not a jar, named twice, or no jar holding the factories
     */
    public static Written write(Path weights, Path dir, List<Path> jars) {
        checkTarget(dir);
        checkJars(jars);
        checkWeights(weights);
        AtomicDirectory.write(dir, tmp -> {
            Files.writeString(tmp.resolve(PROPERTIES), properties(), StandardCharsets.UTF_8);
            Files.copy(weights, tmp.resolve(WEIGHTS));
            if (!jars.isEmpty()) { // no empty libs/: the server's class path has our classes then
                Path libs = Files.createDirectory(tmp.resolve(LIBS));
                for (Path jar : jars) {
                    Files.copy(jar, libs.resolve(jar.getFileName().toString()));
                }
            }
        });
        return new Written(dir, listFiles(dir));
    }

    /**
     * The jars a package needs when DJL Serving does not have our classes: the jar this class was
     * loaded from, and the jars of the libraries our model code links against that DJL Serving does
     * not ship. DJL Serving ships DJL's API (with Gson, JNA and SLF4J) and the PyTorch engine, so
     * those stay out; so do the CLI's libraries (picocli, progress bars, charts) and the pickle
     * reader (only for the reference's {@code .pth}, never in a package). SnakeYAML (the config's
     * value parser) and EJML (the SVD behind LoRA-relaxed shared weights) go in: loading a plain
     * ConvMixer package touches neither (checked with {@code -verbose:class}), but the config and
     * model code that other checkpoints reach links against them.
     *
     * @throws SpinException when our classes are not in a jar (e.g. run from {@code target/classes}):
     *     build the jar with {@code mvn package} and run {@code ./spin}, or pass the jars yourself
     */
    public static List<Path> runningJars() {
        // a shaded jar would hold them all: keep each path once
        Set<Path> jars = new LinkedHashSet<>();
        jars.add(jarOf(ServingPackage.class, "our classes"));
        jars.add(jarOf(org.yaml.snakeyaml.Yaml.class, "SnakeYAML"));
        jars.add(jarOf(org.ejml.data.DMatrixRMaj.class, "EJML (core)"));
        jars.add(jarOf(org.ejml.dense.row.factory.DecompositionFactory_DDRM.class, "EJML (dense)"));
        return List.copyOf(jars);
    }

    /**
     * The checkpoint of a package directory, as both factories read it: the file the
     * {@value #WEIGHTS_ARGUMENT} argument names (default {@value #WEIGHTS}), with its own config.
     */
    static TrainedModel read(Path modelDir, Map<String, ?> arguments) {
        Object named = arguments == null ? null : arguments.get(WEIGHTS_ARGUMENT);
        Path file = modelDir.resolve(named == null ? WEIGHTS : named.toString());
        if (!Files.isRegularFile(file)) {
            throw new SpinException(file + ": weights not found in the model directory; expected the "
                    + WEIGHTS_ARGUMENT + " file that " + PROPERTIES + " names (default " + WEIGHTS + ")");
        }
        return TrainedModel.read(file);
    }

    private static String properties() {
        // written by hand rather than by Properties.store, which adds a date line: the same
        // checkpoint should give the same package
        return String.join("\n",
                "# A SPIN for Java model in DJL Serving's layout (org.spin.predict.ServingPackage).",
                "engine=PyTorch",
                "blockFactory=" + SpinBlockFactory.class.getName(),
                "translatorFactory=" + SpinTranslatorFactory.class.getName(),
                WEIGHTS_ARGUMENT + "=" + WEIGHTS,
                "# the block factory loads the weights itself: there is no DJL .params file to read",
                "option.hasParameter=false",
                "");
    }

    private static void checkTarget(Path dir) {
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                if (entries.iterator().hasNext()) {
                    throw new SpinException(dir + ": directory exists and is not empty; expected a new "
                            + "or empty directory for the DJL Serving package");
                }
            } catch (IOException e) {
                throw new SpinException(dir + ": cannot list directory: " + e, e);
            }
        } else if (Files.exists(dir)) {
            throw new SpinException(dir + ": exists and is not a directory; expected a new or empty "
                    + "directory for the DJL Serving package");
        }
    }

    private static void checkJars(List<Path> jars) {
        Set<String> names = new HashSet<>();
        boolean factories = false;
        for (Path jar : jars) {
            String name = jar.getFileName() == null ? "" : jar.getFileName().toString();
            if (!Files.isRegularFile(jar)) {
                throw new SpinException(jar + ": jar not found; expected a jar file to copy into "
                        + LIBS + "/");
            }
            if (!name.endsWith(".jar")) {
                throw new SpinException(jar + ": not named *.jar; DJL Serving only loads " + LIBS + "/*.jar");
            }
            if (!names.add(name)) {
                throw new SpinException(jar + ": a second jar named " + SpinException.quoted(name)
                        + "; the jars share " + LIBS + "/, so their names must differ");
            }
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                factories |= zip.getEntry(classFile(SpinBlockFactory.class)) != null
                        && zip.getEntry(classFile(SpinTranslatorFactory.class)) != null;
            } catch (IOException e) {
                throw new SpinException(jar + ": not a readable jar (zip) file: "
                        + SpinException.firstLine(e), e);
            }
        }
        if (!jars.isEmpty() && !factories) {
            throw new SpinException(String.join(", ", jars.stream().map(Path::toString).toList())
                    + ": no jar holds " + SpinBlockFactory.class.getName() + " and "
                    + SpinTranslatorFactory.class.getName() + "; expected spin's own jar among them");
        }
    }

    /** Reads the checkpoint and loads it into its model, so a package that is written loads. */
    private static void checkWeights(Path weights) {
        if (!Files.isRegularFile(weights)) {
            throw new SpinException(weights + ": no such weights file; expected our .safetensors checkpoint");
        }
        TrainedModel trained = TrainedModel.read(weights);
        if (trained.weights().metadata().get("config") == null) {
            throw new SpinException(weights + ": no 'config' in its metadata; a DJL Serving package "
                    + "needs our .safetensors checkpoint, which carries its config and class names");
        }
        trained.classNames(); // a malformed 'classes' entry fails here, not in the server
        try (NDManager manager = NDManager.newBaseManager()) {
            trained.newModel(manager);
        }
    }

    private static String classFile(Class<?> c) {
        return c.getName().replace('.', '/') + ".class";
    }

    private static Path jarOf(Class<?> c, String what) {
        Path path;
        try {
            path = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (Exception e) { // no code source, or not a file: URL
            throw new SpinException(c.getName() + ": cannot locate the jar of " + what + ": "
                    + SpinException.firstLine(e), e);
        }
        if (!Files.isRegularFile(path) || !path.toString().endsWith(".jar")) {
            throw new SpinException(path + ": not a jar file, so " + what + " cannot be packaged from it; "
                    + "build the jar with mvn package and run ./spin, or pass the jars yourself");
        }
        return path;
    }

    private static List<WrittenFile> listFiles(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> files = walk.filter(Files::isRegularFile).sorted().toList();
            List<WrittenFile> out = new ArrayList<>();
            for (Path f : files) {
                out.add(new WrittenFile(dir.relativize(f).toString().replace('\\', '/'), Files.size(f)));
            }
            return out;
        } catch (IOException e) {
            throw new SpinException(dir + ": package written but cannot be listed: " + e, e);
        }
    }
}
