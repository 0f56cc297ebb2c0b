package org.spin.fuzz;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * The edits a fuzz case applies to a valid file. Binary edits aim half their positions at the
 * first {@code header} bytes, where a single changed length or shape decides how much a reader
 * allocates; text edits add what breaks parsers of YAML and JSON: nesting, aliases, huge scalars,
 * duplicated keys and numbers out of every range.
 */
final class Mutations {

    /** Lengths, counts and dimensions at the edges of every integer type, and far beyond any file. */
    static final List<Long> BOUNDARY_VALUES = List.of(0L, 1L, -1L, 0x7FL, 0x80L, 0xFFL, 0x7FFFL, 0x8000L, 0xFFFFL,
            0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL, 1L << 32, 1L << 40, Long.MAX_VALUE, Long.MIN_VALUE,
            0x7FFF_FFF0L, 100_000L, 1_000_000_000L);

    /** What a number in a text header may become. */
    static final List<String> NUMBER_TEXTS = List.of("0", "-1", "1", "2147483647", "2147483648", "-2147483649",
            "4294967296", "9223372036854775807", "9223372036854775808", "-9223372036854775809", "1099511627776",
            "99999999999999999999999999", "1e309", "-1e309", "1e-400", "1.5", "-0", "NaN", "Infinity", "0x10",
            "1:99999999999999999999", "12e", "", "00", "1_000", ".inf", "07");

    private Mutations() {}

    /** One to six edits of a binary file whose fields that size the rest sit in its first {@code header} bytes. */
    static Arbitrary<List<Mutation>> binary(int header) {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.lazy(() -> flip(header))),
                Tuple.of(4, Arbitraries.lazy(() -> overwrite(header))),
                Tuple.of(2, Arbitraries.lazy(() -> truncate(header))),
                Tuple.of(2, Arbitraries.lazy(() -> insert(header))),
                Tuple.of(2, Arbitraries.lazy(() -> delete(header))),
                Tuple.of(1, Arbitraries.lazy(() -> duplicate(header))))
                .list().ofMinSize(1).ofMaxSize(6);
    }

    /** Binary edits plus the text attacks, for YAML and JSON files. */
    static Arbitrary<List<Mutation>> text() {
        Arbitrary<Mutation> textual = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.lazy(Mutations::replaceNumber)),
                Tuple.of(2, Arbitraries.lazy(() -> Arbitraries.integers().greaterOrEqual(0).map(Mutation.DuplicateLine::new))),
                Tuple.of(4, Arbitraries.lazy(Mutations::insertText)),
                Tuple.of(1, Arbitraries.lazy(Mutations::replaceText)),
                Tuple.of(2, Arbitraries.lazy(() -> flip(64))),
                Tuple.of(1, Arbitraries.lazy(() -> overwrite(64))),
                Tuple.of(2, Arbitraries.lazy(() -> truncate(64))),
                Tuple.of(2, Arbitraries.lazy(() -> delete(64))),
                Tuple.of(1, Arbitraries.lazy(() -> duplicate(64))));
        return textual.list().ofMinSize(1).ofMaxSize(5);
    }

    /**
     * Binary edits plus pickle opcodes: length prefixes claiming gigabytes, memo references to
     * nothing, self-referencing containers, and lists nested deeper than any recursion survives,
     * inserted anywhere or just before STOP so the pickle still ends well.
     */
    static Arbitrary<List<Mutation>> pickle() {
        Arbitrary<byte[]> opcodes = Arbitraries.of("(", ")", "]", "}", "e", "u", "s", "a", "t", "R", "b", "0", "1", "2",
                ".", "N", "\u0088", "\u0089", "K\u00ff", "M\u00ff\u00ff", "J\u00ff\u00ff\u00ff\u007f",
                "X\u00ff\u00ff\u00ff\u007f", "B\u00f0\u00ff\u00ff\u007f", "T\u00ff\u00ff\u00ff\u007f",
                "\u008e\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u007f", "\u0095\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u007f",
                "\u008b\u00ff\u00ff\u00ff\u007f", "\u008a\u00ff", "h\u0000", "h\u00ff", "j\u00ff\u00ff\u00ff\u007f",
                "q\u0000", "r\u00ff\u00ff\u00ff\u00ff", "g999\n", "p1\n", "cos\nsystem\n", "ctorch\nFloatStorage\n",
                "\u0093", "Q", "P1\n", "\u0080\u0005", "I99999999999999999999\n", "L" + "9".repeat(2000) + "L\n",
                "F1e99999\n", "S'abc\n", "V\\u0000\n", "\u008c\u00ff", "]q\u0000h\u0000a", "]q\u0000]h\u0000aa",
                "}q\u0000h\u0000h\u0000s", "(]q\u0000h\u0000t")
                .map(Mutations::latin1);
        Arbitrary<byte[]> nested = Arbitraries.integers().between(1, 200_000)
                .map(n -> latin1("]".repeat(n) + "a".repeat(n - 1)));
        Arbitrary<byte[]> payload = Arbitraries.frequencyOf(Tuple.of(6, opcodes), Tuple.of(1, nested));
        Arbitrary<Mutation> insert = Combinators.combine(position(256), payload).as(Mutation.Insert::new);
        Arbitrary<Mutation> beforeStop = Combinators.combine(Arbitraries.integers().between(0, 16), payload)
                .as(Mutation.InsertFromEnd::new);
        Arbitrary<Mutation> one = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.lazy(() -> flip(256))),
                Tuple.of(3, Arbitraries.lazy(() -> overwrite(256))),
                Tuple.of(1, Arbitraries.lazy(() -> truncate(256))),
                Tuple.of(1, Arbitraries.lazy(() -> delete(256))),
                Tuple.of(3, insert),
                Tuple.of(2, beforeStop));
        return one.list().ofMinSize(1).ofMaxSize(6);
    }

    private static Arbitrary<Integer> position(int header) {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.integers().between(0, header)),
                Tuple.of(1, Arbitraries.integers().greaterOrEqual(0)));
    }

    private static Arbitrary<Mutation> flip(int header) {
        return Combinators.combine(position(header), Arbitraries.integers().between(0, 7)).as(Mutation.Flip::new);
    }

    private static Arbitrary<Mutation> overwrite(int header) {
        return Combinators.combine(position(header), Arbitraries.oneOf(boundaryBytes(), randomBytes(16)))
                .as(Mutation.Overwrite::new);
    }

    private static Arbitrary<Mutation> truncate(int header) {
        return position(header).map(Mutation.Truncate::new);
    }

    private static Arbitrary<Mutation> insert(int header) {
        Arbitrary<byte[]> run = Combinators.combine(Arbitraries.integers().between(1, 1 << 16), Arbitraries.bytes())
                .as((n, b) -> {
                    byte[] r = new byte[n];
                    java.util.Arrays.fill(r, b);
                    return r;
                });
        return Combinators.combine(position(header), Arbitraries.oneOf(boundaryBytes(), randomBytes(64), run))
                .as(Mutation.Insert::new);
    }

    private static Arbitrary<Mutation> delete(int header) {
        return Combinators.combine(position(header), Arbitraries.integers().between(1, 4096)).as(Mutation.Delete::new);
    }

    private static Arbitrary<Mutation> duplicate(int header) {
        return Combinators.combine(position(header), Arbitraries.integers().between(1, 256)).as(Mutation.Duplicate::new);
    }

    /** A boundary value as 1, 2, 4 or 8 bytes in either byte order: a length or dimension field. */
    private static Arbitrary<byte[]> boundaryBytes() {
        return Combinators.combine(Arbitraries.of(BOUNDARY_VALUES), Arbitraries.of(1, 2, 4, 8), Arbitraries.of(true, false))
                .as((value, width, little) -> {
                    ByteBuffer buf = ByteBuffer.allocate(8).order(little ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
                    buf.putLong(value);
                    byte[] all = buf.array();
                    return little ? java.util.Arrays.copyOf(all, width) : java.util.Arrays.copyOfRange(all, 8 - width, 8);
                });
    }

    private static Arbitrary<byte[]> randomBytes(int max) {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(max);
    }

    private static Arbitrary<Mutation> replaceNumber() {
        Arbitrary<String> huge = Combinators.combine(Arbitraries.of("1", "9", "-1"), Arbitraries.integers().between(20, 200_000))
                .as((head, n) -> head + (head.equals("9") ? "9" : "0").repeat(n));
        return Combinators.combine(Arbitraries.integers().greaterOrEqual(0),
                Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.of(NUMBER_TEXTS)), Tuple.of(1, huge)))
                .as(Mutation.ReplaceNumber::new);
    }

    private static Arbitrary<Mutation> insertText() {
        return Combinators.combine(position(64), attack()).as((pos, text) -> new Mutation.Insert(pos, utf8(text)));
    }

    private static Arbitrary<Mutation> replaceText() {
        Arbitrary<byte[]> root = Arbitraries.of("", "~", "null", "42", "- a\n- b\n", "\"text\"", "[1, 2]", "{}", "[]",
                "true", "!!binary AAAA", "--- a\n--- b\n", "%YAML 1.2\n---\n{}", "\ufeff{}", "a: b: c")
                .map(Mutations::utf8);
        return Arbitraries.oneOf(root, attack().map(Mutations::utf8), randomBytes(256)).map(Mutation.Replace::new);
    }

    /** Text that a YAML or JSON parser has to survive. */
    static Arbitrary<String> attack() {
        Arbitrary<String> tokens = Arbitraries.of("\n", ": ", "- ", "&a ", "*a", "&b [*a, *a]", "<<: *a\n", "? [a, b]\n: c\n",
                "!!python/object/apply:os.system [ls]", "!!java.io.File [x]", "!!int x", "!!float x", "!!timestamp 2001-13-99",
                "!!binary ===", "!!set {a, b}", "!!omap [a: 1, a: 2]", "{", "}", "[", "]", ",", "\"", "'", "\\", "\\n",
                "\\u0000", "\\ud800", "\\uffff", "\u2028", "\u0085", "\t", "\u0000", "\ufeff", "#", "%TAG ! tag:x,2000:\n",
                "...\n", "---\n", "|\n  x\n", ">-\n", "0x" + "f".repeat(40), "1:2:3:4:5:6:7:8:9", "1e99999", ".nan",
                "\"status\": \"done\", ", "\"run\": \"a\\nb\", ", "\"top1\": 1e400, ", "MODEL:\n  MODEL:\n");
        Arbitrary<String> flowNesting = Combinators.combine(Arbitraries.integers().between(1, 20_000), Arbitraries.of("[", "{a: "))
                .as((n, open) -> open.repeat(n) + (open.equals("[") ? "]" : "}").repeat(n));
        Arbitrary<String> blockNesting = Arbitraries.integers().between(1, 600).map(n -> {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < n; i++) {
                sb.append(" ".repeat(i)).append("k:\n");
            }
            return sb.toString();
        });
        Arbitrary<String> aliasBomb = Combinators.combine(Arbitraries.integers().between(1, 12), Arbitraries.integers().between(2, 9))
                .as(Mutations::aliasBomb);
        Arbitrary<String> hugeScalar = Combinators.combine(Arbitraries.integers().between(1_000, 4_000_000), Arbitraries.of("x", "9", "é"))
                .as((n, c) -> c.repeat(n));
        Arbitrary<String> anyText = Arbitraries.strings().all().ofMaxLength(24);
        return Arbitraries.frequencyOf(
                Tuple.of(12, tokens),
                Tuple.of(3, anyText),
                Tuple.of(2, flowNesting),
                Tuple.of(1, blockNesting),
                Tuple.of(2, aliasBomb),
                Tuple.of(1, hugeScalar));
    }

    /** "Billion laughs": each level lists the previous one {@code fanout} times. */
    static String aliasBomb(int levels, int fanout) {
        StringBuilder sb = new StringBuilder("l0: &l0 [\"lol\"]\n");
        for (int i = 1; i <= levels; i++) {
            sb.append('l').append(i).append(": &l").append(i).append(" [");
            for (int k = 0; k < fanout; k++) {
                sb.append(k == 0 ? "" : ", ").append("*l").append(i - 1);
            }
            sb.append("]\n");
        }
        return sb.toString();
    }

    private static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
