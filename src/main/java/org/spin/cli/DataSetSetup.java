package org.spin.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.spin.SpinException;
import org.spin.config.SpinConfig;
import org.spin.data.DataConfig;
import org.spin.data.DataSources;

/**
 * The set-up a command needs before it reads its data set: a data set that comes as a Debian
 * package (Fashion-MNIST) and is missing is installed when we run as root with apt-get at hand,
 * as on our machines and in CI; otherwise the user gets the exact command. This is the CLI's
 * job, not the library's: a library never installs system packages behind its caller's back.
 */
final class DataSetSetup {

    private final boolean root;
    private final Path aptGet;
    private final PrintStream log;

    DataSetSetup(boolean root, Path aptGet, PrintStream log) {
        this.root = root;
        this.aptGet = aptGet;
        this.log = log;
    }

    /** This process: root when its user id is 0, Debian's apt-get from the usual place. */
    static DataSetSetup system() {
        return new DataSetSetup(isRoot(), Path.of("/usr/bin/apt-get"), System.err);
    }

    /** Installs what {@code cfg}'s data set lacks, or refuses with the command that would. */
    static void ensure(SpinConfig cfg) {
        DataSources.missingDebianPackage(DataConfig.from(cfg)).ifPresent(pkg ->
                system().install(pkg, () -> DataSources.missingDebianPackage(DataConfig.from(cfg)).isEmpty()));
    }

    /**
     * Installs {@code pkg}; {@code installed} says afterwards whether the data is now there.
     *
     * @throws SpinException with the command to run when we may not install, or when apt-get fails
     */
    void install(String pkg, BooleanSupplier installed) {
        String command = "apt-get install " + pkg;
        if (!root || !Files.isExecutable(aptGet)) {
            throw new SpinException("TRAIN.DATASET needs the Debian package " + pkg + ", which is not installed; run: "
                    + (root ? "" : "sudo ") + command + " (or set DATA.PATH_TO_DATA_DIR to a folder holding the data)");
        }
        log.println("spin: the data set is not installed; installing the Debian package " + pkg
                + " (" + command + ")");
        List<String> output = new ArrayList<>();
        int code = apt(output, "install", "-y", "-q", pkg);
        if (code != 0) {
            // a fresh machine often has no package lists yet: fetch them, then install
            code = apt(output, "update", "-q");
            code = code != 0 ? code : apt(output, "install", "-y", "-q", pkg);
        }
        if (code != 0 || !installed.getAsBoolean()) {
            String last = output.isEmpty() ? "no output" : output.get(output.size() - 1).strip();
            throw new SpinException(command + " failed (" + (code != 0 ? "exit " + code : "the files are still missing")
                    + ": " + last + "); install it yourself, or set DATA.PATH_TO_DATA_DIR to a folder holding the data");
        }
    }

    /** Runs apt-get non-interactively, its output collected for an error message. */
    private int apt(List<String> output, String... args) {
        List<String> cmd = new ArrayList<>(List.of(aptGet.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
        pb.environment().remove("LD_PRELOAD"); // the allocator ./spin preloads is for this JVM, not for dpkg
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            text.lines().filter(l -> !l.isBlank()).forEach(output::add);
            return p.waitFor();
        } catch (IOException e) {
            output.add(e.getMessage());
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SpinException(String.join(" ", cmd) + " was interrupted");
        }
    }

    /** Effective user id 0, read from /proc (Linux); false where it cannot be read. */
    static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    String[] ids = line.substring(4).strip().split("\\s+");
                    return ids.length > 1 && ids[1].equals("0");
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: never try to install
        }
        return false;
    }
}
