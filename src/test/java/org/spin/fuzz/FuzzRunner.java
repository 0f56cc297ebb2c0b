package org.spin.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.spin.SpinException;

/**
 * Runs one fuzz case and judges it. A reader passes a case when it returns (and what it returns
 * passes the target's check) or throws one {@link SpinException} whose message is one line of
 * plain text naming the case's files; and in both cases when it finished within the time limit
 * and allocated no more than its allowance for the input's size. Anything else (another
 * exception, an error, a hang, a header-sized allocation) fails the case.
 */
final class FuzzRunner {

    /** Cases per reader: {@code -Dspin.fuzzCases=N}. */
    static final int CASES = Integer.getInteger("spin.fuzzCases", 300);
    /** A case still running after this long is a hang: {@code -Dspin.fuzzTimeoutMs=N}. */
    static final long TIMEOUT_MS = Long.getLong("spin.fuzzTimeoutMs", 5_000);
    /**
     * Record failures and go on instead of stopping at the first ({@code -Dspin.fuzzKeepGoing=true},
     * what bench/fuzz uses so its table counts them all); the run still fails at the end.
     */
    static final boolean KEEP_GOING = Boolean.getBoolean("spin.fuzzKeepGoing");
    /** What any read may allocate whatever its input: parser tables, buffers, the engine's first use. */
    static final long ALLOCATION_ALLOWANCE = 256L << 20;
    /** Longer than any message naming a file and what was wrong with it should be. */
    static final int MAX_MESSAGE = 2_000;

    static final FuzzTable TABLE = new FuzzTable();

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final Path FAILURES = Path.of("target", "fuzz-failures");
    private static Path root;
    private static ExecutorService worker;

    enum Kind { CLEAN, REFUSED, FAILURE }

    /**
     * @param detail    what went wrong, for a failure
     * @param signature the kind of failure and where it arose, so that a run lists each defect once
     */
    record Outcome(Kind kind, String detail, String signature, Throwable cause, long millis) {

        static Outcome failure(String detail, String signature, Throwable cause, long millis) {
            return new Outcome(Kind.FAILURE, detail, signature, cause, millis);
        }

        static Outcome passed(Kind kind, long millis) {
            return new Outcome(kind, null, null, null, millis);
        }
    }

    private record Result(Object value, Throwable thrown, long allocated) {}

    private FuzzRunner() {}

    /** Runs {@code input} through {@code target} and counts it; a failing case throws unless {@link #KEEP_GOING}. */
    static void check(FuzzTarget target, FuzzInput input) {
        Outcome outcome = judge(target, input, TIMEOUT_MS);
        TABLE.record(target.name(), outcome);
        if (outcome.kind() == Kind.FAILURE) {
            String report = target.name() + ": " + outcome.detail() + "; input " + input + ", saved as "
                    + save(target, input, input.bytes()).toAbsolutePath();
            if (!KEEP_GOING) {
                throw new AssertionError(report, outcome.cause());
            }
            TABLE.failure(target.name() + ": " + outcome.signature(), report);
        }
    }

    /** Lays the case out in a fresh folder, runs the reader on it and says how it went. */
    static Outcome judge(FuzzTarget target, FuzzInput input, long timeoutMs) {
        Path dir = newCaseDir();
        try {
            long size = 0;
            for (Map.Entry<String, byte[]> c : target.companions().entrySet()) {
                write(dir.resolve(c.getKey()), c.getValue());
                size += c.getValue().length;
            }
            byte[] bytes = input.bytes();
            Path file = write(dir.resolve(input.seed().fileName()), bytes);
            return run(target, dir, file, size + bytes.length, timeoutMs);
        } finally {
            delete(dir);
        }
    }

    private static Outcome run(FuzzTarget target, Path dir, Path file, long inputBytes, long timeoutMs) {
        long start = System.nanoTime();
        Future<Result> future = worker().submit(() -> {
            long before = THREADS.getCurrentThreadAllocatedBytes();
            Object value = null;
            Throwable thrown = null;
            try {
                value = target.reader().read(dir, file);
            } catch (Throwable t) { // OutOfMemoryError and StackOverflowError included: they fail the case
                thrown = t;
            }
            return new Result(value, thrown, THREADS.getCurrentThreadAllocatedBytes() - before);
        });
        Result result;
        try {
            result = future.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            abandonWorker();
            return Outcome.failure("no result after " + timeoutMs + " ms", "hang", null, elapsed(start));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the case task cannot throw", e);
        }
        long millis = elapsed(start);
        if (target.allocationFactor() > 0) {
            long allowed = ALLOCATION_ALLOWANCE + target.allocationFactor() * inputBytes;
            if (result.allocated() > allowed) {
                return Outcome.failure("allocated " + result.allocated() + " bytes for " + inputBytes
                        + " bytes of input (allowed " + allowed + ")", "allocation", result.thrown(), millis);
            }
        }
        Throwable t = result.thrown();
        if (t == null) {
            String problem = target.check().problem(result.value(), dir);
            return problem == null ? Outcome.passed(Kind.CLEAN, millis)
                    : Outcome.failure("returned " + problem, "returned " + problem.replaceAll("[:(].*", ""), null, millis);
        }
        if (!(t instanceof SpinException)) {
            return Outcome.failure("threw " + describe(t), t.getClass().getName() + " at " + origin(t), t, millis);
        }
        String problem = messageProblem(t.getMessage(), dir);
        return problem == null ? Outcome.passed(Kind.REFUSED, millis)
                : Outcome.failure("SpinException " + problem, problem.replaceAll("[:(].*", "").replaceAll("\\d+", "N")
                        + " from " + origin(t), t, millis);
    }

    /** The first frame of our own code, or the top frame when there is none. */
    private static String origin(Throwable t) {
        StackTraceElement[] frames = t.getStackTrace();
        return Arrays.stream(frames).filter(f -> f.getClassName().startsWith("org.spin.")
                        && !f.getClassName().startsWith("org.spin.fuzz.")).findFirst()
                .or(() -> Arrays.stream(frames).findFirst()).map(StackTraceElement::toString).orElse("?");
    }

    /** Null when {@code message} is one line of plain text naming something in {@code dir}, else what is wrong. */
    static String messageProblem(String message, Path dir) {
        if (message == null || message.isBlank()) {
            return "without a message";
        }
        if (message.length() > MAX_MESSAGE) {
            return "message of " + message.length() + " characters: " + message.substring(0, 200) + "...";
        }
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                return String.format("message with control character U+%04X at %d: %s", (int) c, i, escape(message));
            }
        }
        if (!message.contains(dir.toString())) {
            return "message naming no input (expected a path under " + dir + "): " + message;
        }
        return null;
    }

    /** Every line of a warning list, judged as a message. */
    static String linesProblem(Iterable<String> lines, Path dir) {
        for (String line : lines) {
            String problem = messageProblem(line, dir);
            if (problem != null) {
                return "a warning " + problem;
            }
        }
        return null;
    }

    private static String describe(Throwable t) {
        String frames = Arrays.stream(t.getStackTrace()).limit(6).map(StackTraceElement::toString)
                .collect(Collectors.joining(" < "));
        String message = t.getMessage() == null ? "" : ": " + escape(t.getMessage());
        return t.getClass().getName() + (message.length() > 300 ? message.substring(0, 300) + "..." : message)
                + " at " + frames;
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && sb.length() < 400; i++) {
            char c = s.charAt(i);
            sb.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return sb.toString();
    }

    private static long elapsed(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static synchronized ExecutorService worker() {
        if (worker == null) {
            worker = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "spin-fuzz-case");
                t.setDaemon(true); // a reader that hangs must not keep the JVM alive
                return t;
            });
        }
        return worker;
    }

    /** A hung reader keeps its thread; later cases get a fresh one. */
    private static synchronized void abandonWorker() {
        worker.shutdownNow();
        worker = null;
    }

    private static synchronized Path newCaseDir() {
        try {
            if (root == null) {
                root = Files.createTempDirectory("spin-fuzz");
                root.toFile().deleteOnExit();
            }
            return Files.createTempDirectory(root, "case");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.getParent());
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Keeps a failing input for the regression test it calls for. */
    private static Path save(FuzzTarget target, FuzzInput input, byte[] bytes) {
        String name = target.name().replaceAll("[^A-Za-z0-9]+", "-") + "-" + Integer.toHexString(Arrays.hashCode(bytes))
                + "-" + input.seed().fileName().replaceAll(".*/", "");
        return write(FAILURES.resolve(name), bytes);
    }

    private static void delete(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
