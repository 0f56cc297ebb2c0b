package org.spin.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One edit of a file's bytes. Positions are taken modulo the length of the bytes they meet, so
 * any generated number is a valid edit of any file, and shrinking a position towards 0 moves the
 * edit towards the file's header, where most defects live.
 */
sealed interface Mutation {

    byte[] apply(byte[] in);

    /** Inverts one bit. */
    record Flip(int pos, int bit) implements Mutation {
        @Override
        public byte[] apply(byte[] in) {
            if (in.length == 0) {
                return in;
            }
            byte[] out = in.clone();
            out[pos % in.length] ^= (byte) (1 << (bit & 7));
            return out;
        }
    }

    /** Writes {@code bytes} over what is there, growing the file when they run past its end. */
    record Overwrite(int pos, byte[] bytes) implements Mutation {
        @Override
        public byte[] apply(byte[] in) {
            int at = pos % (in.length + 1);
            byte[] out = Arrays.copyOf(in, Math.max(in.length, at + bytes.length));
            System.arraycopy(bytes, 0, out, at, bytes.length);
            return out;
        }

        @Override
        public String toString() {
            return "Overwrite[pos=" + pos + ", bytes=" + show(bytes) + "]";
        }
    }

    /** Keeps the first {@code keep} bytes. */
    record Truncate(int keep) implements Mutation {
        @Override
        public byte[] apply(byte[] in) {
            return Arrays.copyOf(in, keep % (in.length + 1));
        }
    }

    record Insert(int pos, byte[] bytes) implements Mutation {
        @Override
        public byte[] apply(byte[] in) {
            int at = pos % (in.length + 1);
            ByteArrayOutputStream out = new ByteArrayOutputStream(in.length + bytes.length);
            out.write(in, 0, at);
            out.writeBytes(bytes);
            out.write(in, at, in.length - at);
            return out.toByteArray();
        }

        @Override
        public String toString() {
            return "Insert[pos=" + pos + ", bytes=" + show(bytes) + "]";
        }
    }

    /** Inserts {@code back} bytes before the end: in a pickle, just before STOP, so the stream still ends well. */
    record InsertFromEnd(int back, byte[] bytes) implements Mutation {
        @Override
        public byte[] apply(byte[] in) {
            return new Insert(in.length - back % (in.length + 1), bytes).apply(in);
        }

        @Override
        public String toString() {
            return "InsertFromEnd[back=" + back + ", bytes=" + show(bytes) + "]";
        }
    }

    record Delete(int pos, int count) implements Mutation {
        @Override
        public byte[] apply(byte[] in) {
            int at = pos % (in.length + 1);
            int n = Math.min(count, in.length - at);
            byte[] out = new byte[in.length - n];
            System.arraycopy(in, 0, out, 0, at);
            System.arraycopy(in, at + n, out, at, in.length - at - n);
            return out;
        }
    }

    /** Repeats a run of bytes in place; on a text file this duplicates keys and whole entries. */
    record Duplicate(int pos, int count) implements Mutation {
        @Override
        public byte[] apply(byte[] in) {
            int at = pos % (in.length + 1);
            int n = Math.min(count, in.length - at);
            return new Insert(at + n, Arrays.copyOfRange(in, at, at + n)).apply(in);
        }
    }

    /** Repeats line {@code line} (modulo the line count): a duplicated key in YAML, a repeated field in JSON. */
    record DuplicateLine(int line) implements Mutation {
        @Override
        public byte[] apply(byte[] in) {
            String text = new String(in, StandardCharsets.ISO_8859_1);
            String[] lines = text.split("\n", -1);
            int i = line % lines.length;
            int start = 0;
            for (int k = 0; k < i; k++) {
                start += lines[k].length() + 1;
            }
            return new Insert(start, (lines[i] + "\n").getBytes(StandardCharsets.ISO_8859_1)).apply(in);
        }
    }

    /**
     * Replaces the {@code index}-th run of ASCII digits (modulo their count) with {@code value}:
     * shapes, offsets, lengths and counts in text headers become huge, negative or malformed.
     */
    record ReplaceNumber(int index, String value) implements Mutation {
        @Override
        public byte[] apply(byte[] in) {
            int runs = 0;
            for (int i = 0; i < in.length; i++) {
                if (isDigit(in[i]) && (i == 0 || !isDigit(in[i - 1]))) {
                    runs++;
                }
            }
            if (runs == 0) {
                return in;
            }
            int target = index % runs;
            for (int i = 0, run = -1; i < in.length; i++) {
                if (isDigit(in[i]) && (i == 0 || !isDigit(in[i - 1])) && ++run == target) {
                    int end = i;
                    while (end < in.length && isDigit(in[end])) {
                        end++;
                    }
                    byte[] v = value.getBytes(StandardCharsets.UTF_8);
                    byte[] out = new byte[in.length - (end - i) + v.length];
                    System.arraycopy(in, 0, out, 0, i);
                    System.arraycopy(v, 0, out, i, v.length);
                    System.arraycopy(in, end, out, i + v.length, in.length - end);
                    return out;
                }
            }
            throw new AssertionError("unreachable");
        }

        private static boolean isDigit(byte b) {
            return b >= '0' && b <= '9';
        }

        @Override
        public String toString() {
            return "ReplaceNumber[index=" + index + ", value=" + show(value.getBytes(StandardCharsets.UTF_8)) + "]";
        }
    }

    /** The whole file becomes {@code bytes}: another root type, garbage, nothing. */
    record Replace(byte[] bytes) implements Mutation {
        @Override
        public byte[] apply(byte[] in) {
            return bytes.clone();
        }

        @Override
        public String toString() {
            return "Replace[" + show(bytes) + "]";
        }
    }

    /** Short payloads as text when printable, else hex; long ones by length and head, so failure reports stay readable. */
    static String show(byte[] bytes) {
        boolean printable = true;
        for (byte b : bytes) {
            printable &= (b >= 0x20 && b < 0x7f) || b == '\n';
        }
        int shown = Math.min(bytes.length, 48);
        StringBuilder sb = new StringBuilder();
        if (printable) {
            sb.append('"').append(new String(bytes, 0, shown, StandardCharsets.US_ASCII).replace("\n", "\\n")).append('"');
        } else {
            sb.append("0x");
            for (int i = 0; i < shown; i++) {
                sb.append(String.format("%02x", bytes[i] & 0xff));
            }
        }
        if (shown < bytes.length) {
            sb.append("... (").append(bytes.length).append(" bytes)");
        }
        return sb.toString();
    }
}
