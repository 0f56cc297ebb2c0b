package org.spin.io;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.spin.SpinException;

/**
 * The parsed and validated JSON header of a safetensors file. Parsing is streaming rather than
 * via a JSON tree so that duplicate keys, which a tree would silently collapse, are caught; and
 * every offset is checked against the data region before any tensor is read, so a corrupt file
 * fails with a precise message instead of garbage weights.
 */
record SafeTensorsHeader(List<Entry> entries, Map<String, String> metadata) {

    static final String METADATA_KEY = "__metadata__";

    /** One tensor's header record; offsets are relative to the start of the data region. */
    record Entry(String name, DType dtype, long[] shape, long start, long end) {
        long byteLength() {
            return end - start;
        }
    }

    /** Parses {@code header} and checks its offsets tile {@code [0, dataLength)} exactly. */
    static SafeTensorsHeader parse(String file, byte[] header, long dataLength) {
        String json;
        try {
            json = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(header)).toString();
        } catch (CharacterCodingException e) {
            throw new SpinException(file + ": safetensors header is not valid UTF-8");
        }
        SafeTensorsHeader parsed;
        try (JsonReader reader = new JsonReader(new StringReader(json))) {
            reader.setStrictness(Strictness.STRICT);
            parsed = new Parser(file, reader).header();
        } catch (IOException | IllegalStateException | NumberFormatException e) {
            String why = SpinException.firstLine(e); // Gson adds a line pointing at its troubleshooting page
            throw new SpinException(file + ": safetensors header is not valid JSON (" + why + ")", e);
        }
        parsed.checkLayout(file, dataLength);
        return parsed;
    }

    private void checkLayout(String file, long dataLength) {
        for (Entry e : entries) {
            long needed;
            try {
                needed = Math.multiplyExact(HostTensor.numel(e.shape), (long) e.dtype.byteSize());
            } catch (ArithmeticException ex) {
                throw new SpinException(file + ": " + tensor(e.name) + " shape " + Arrays.toString(e.shape)
                        + " is too large");
            }
            if (e.end < e.start) {
                throw new SpinException(file + ": " + tensor(e.name) + " data offsets " + offsets(e)
                        + " end before they start; expected [begin, end] with begin <= end");
            }
            if (e.byteLength() != needed) {
                throw new SpinException(file + ": " + tensor(e.name) + " data offsets " + offsets(e) + " hold "
                        + e.byteLength() + " bytes but dtype " + e.dtype + " shape " + Arrays.toString(e.shape)
                        + " needs " + needed);
            }
            if (e.end > dataLength) {
                throw new SpinException(file + ": " + tensor(e.name) + " data offsets " + offsets(e)
                        + " reach past the " + dataLength + "-byte data region (truncated file?)");
            }
        }
        List<Entry> byStart = new ArrayList<>(entries);
        byStart.sort(Comparator.comparingLong(Entry::start).thenComparingLong(Entry::end));
        long covered = 0;
        Entry previous = null;
        for (Entry e : byStart) {
            if (e.start < covered) {
                throw new SpinException(file + ": " + tensor(e.name) + " data offsets " + offsets(e)
                        + " overlap tensor " + SpinException.quoted(previous.name) + " " + offsets(previous)
                        + "; expected each tensor to own its bytes");
            }
            if (e.start > covered) {
                throw new SpinException(file + ": data bytes [" + covered + ", " + e.start
                        + "] belong to no tensor; expected tensors to cover the data region without gaps");
            }
            covered = e.end;
            previous = e;
        }
        if (covered != dataLength) {
            throw new SpinException(file + ": data region has " + dataLength + " bytes but the tensors cover "
                    + covered + "; expected them to match exactly");
        }
    }

    /** How messages name a tensor: its name is outside text, so it is quoted as an excerpt. */
    private static String tensor(String name) {
        return "tensor " + SpinException.quoted(name);
    }

    private static String offsets(Entry e) {
        return "[" + e.start + ", " + e.end + "]";
    }

    /** Recursive-descent reader over the fixed header schema, producing messages that say what was expected. */
    private static final class Parser {
        private final String file;
        private final JsonReader in;

        Parser(String file, JsonReader in) {
            this.file = file;
            this.in = in;
        }

        SafeTensorsHeader header() throws IOException {
            if (in.peek() != JsonToken.BEGIN_OBJECT) {
                throw fail("safetensors header is " + describe(in.peek()) + "; expected a JSON object");
            }
            in.beginObject();
            List<Entry> entries = new ArrayList<>();
            Map<String, String> metadata = new LinkedHashMap<>();
            Set<String> seen = new HashSet<>();
            while (in.hasNext()) {
                String name = in.nextName();
                if (!seen.add(name)) {
                    throw fail("safetensors header lists " + SpinException.quoted(name)
                            + " twice; expected unique names");
                }
                if (name.equals(METADATA_KEY)) {
                    readMetadata(metadata);
                } else {
                    entries.add(readEntry(name));
                }
            }
            in.endObject();
            if (in.peek() != JsonToken.END_DOCUMENT) {
                throw fail("safetensors header has content after its JSON object");
            }
            return new SafeTensorsHeader(List.copyOf(entries), metadata);
        }

        private void readMetadata(Map<String, String> metadata) throws IOException {
            if (in.peek() == JsonToken.NULL) {
                in.nextNull();
                return;
            }
            if (in.peek() != JsonToken.BEGIN_OBJECT) {
                throw fail(METADATA_KEY + " is " + describe(in.peek()) + "; expected an object of strings");
            }
            in.beginObject();
            while (in.hasNext()) {
                String key = in.nextName();
                if (in.peek() != JsonToken.STRING) {
                    throw fail(METADATA_KEY + " entry " + SpinException.quoted(key) + " is " + describe(in.peek())
                            + "; safetensors metadata values must be strings");
                }
                if (metadata.put(key, in.nextString()) != null) {
                    throw fail(METADATA_KEY + " lists " + SpinException.quoted(key) + " twice; expected unique keys");
                }
            }
            in.endObject();
        }

        private Entry readEntry(String name) throws IOException {
            if (in.peek() != JsonToken.BEGIN_OBJECT) {
                throw fail(tensor(name) + " is " + describe(in.peek())
                        + "; expected an object with dtype, shape and data_offsets");
            }
            in.beginObject();
            DType dtype = null;
            long[] shape = null;
            long[] offsets = null;
            while (in.hasNext()) {
                String field = in.nextName();
                switch (field) {
                    case "dtype" -> dtype = readDType(name);
                    case "shape" -> shape = readLongs(name, field);
                    case "data_offsets" -> offsets = readLongs(name, field);
                    default -> in.skipValue(); // the official reader ignores unknown fields too
                }
            }
            in.endObject();
            if (dtype == null || shape == null || offsets == null) {
                throw fail(tensor(name) + " lacks "
                        + (dtype == null ? "dtype" : shape == null ? "shape" : "data_offsets")
                        + "; expected dtype, shape and data_offsets");
            }
            if (offsets.length != 2) {
                throw fail(tensor(name) + " data_offsets has " + offsets.length
                        + " numbers; expected [begin, end]");
            }
            return new Entry(name, dtype, shape, offsets[0], offsets[1]);
        }

        private DType readDType(String name) throws IOException {
            if (in.peek() != JsonToken.STRING) {
                throw fail(tensor(name) + " dtype is " + describe(in.peek()) + "; expected a string");
            }
            String text = in.nextString();
            try {
                return DType.fromSafetensors(text);
            } catch (SpinException e) {
                throw fail(tensor(name) + " has unsupported dtype " + SpinException.quoted(text)
                        + "; expected one of "
                        + Arrays.toString(DType.values()));
            }
        }

        private long[] readLongs(String name, String field) throws IOException {
            if (in.peek() != JsonToken.BEGIN_ARRAY) {
                throw fail(tensor(name) + " " + field + " is " + describe(in.peek())
                        + "; expected an array of non-negative integers");
            }
            in.beginArray();
            List<Long> values = new ArrayList<>();
            while (in.hasNext()) {
                String text = in.peek() == JsonToken.NUMBER ? in.nextString() : null;
                long value = -1;
                if (text != null) {
                    try {
                        value = Long.parseLong(text);
                    } catch (NumberFormatException e) {
                        value = -1;
                    }
                }
                if (value < 0) {
                    throw fail(tensor(name) + " " + field + " holds "
                            + (text != null ? SpinException.excerpt(text) : describe(in.peek()))
                            + "; expected non-negative integers");
                }
                values.add(value);
            }
            in.endArray();
            return values.stream().mapToLong(Long::longValue).toArray();
        }

        private SpinException fail(String what) {
            return new SpinException(file + ": " + what);
        }

        private static String describe(JsonToken token) {
            return switch (token) {
                case BEGIN_ARRAY -> "an array";
                case BEGIN_OBJECT -> "an object";
                case STRING -> "a string";
                case NUMBER -> "a number";
                case BOOLEAN -> "a boolean";
                case NULL -> "null";
                case END_DOCUMENT -> "empty";
                default -> token.toString();
            };
        }
    }
}
