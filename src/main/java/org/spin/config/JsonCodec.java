package org.spin.config;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.spin.SpinException;

/**
 * JSON form of a config for checkpoint metadata and run directories: the same nested layout as
 * the YAML, every key present (nulls included) so a reader never depends on our defaults at the
 * time it was written. Parsing is strict and yields plain Java values, which then go through the
 * same schema validation as a YAML file.
 */
final class JsonCodec {

    private static final Gson GSON = new GsonBuilder()
            .serializeNulls()
            .setPrettyPrinting()
            .disableHtmlEscaping()
            .create();
    private static final Pattern INTEGER = Pattern.compile("-?\\d+");

    private JsonCodec() {}

    static String write(ConfigSchema schema, Function<ConfigKey, Object> value) {
        return GSON.toJson(toJson(schema.nest(key -> key), value));
    }

    private static JsonObject toJson(Map<String, Object> node, Function<ConfigKey, Object> value) {
        JsonObject out = new JsonObject();
        for (Map.Entry<String, Object> e : node.entrySet()) {
            if (e.getValue() instanceof ConfigKey key) {
                out.add(e.getKey(), element(value.apply(key)));
            } else {
                @SuppressWarnings("unchecked")
                Map<String, Object> child = (Map<String, Object>) e.getValue();
                out.add(e.getKey(), toJson(child, value));
            }
        }
        return out;
    }

    private static JsonElement element(Object v) {
        if (v == null) {
            return JsonNull.INSTANCE;
        }
        if (v instanceof List<?> list) {
            JsonArray array = new JsonArray();
            list.forEach(item -> array.add(element(item)));
            return array;
        }
        if (v instanceof Number n) {
            return new JsonPrimitive(n);
        }
        if (v instanceof Boolean b) {
            return new JsonPrimitive(b);
        }
        return new JsonPrimitive((String) v);
    }

    static Object parse(String json, Source source) {
        try {
            JsonReader reader = new JsonReader(new StringReader(json));
            reader.setStrictness(Strictness.STRICT);
            JsonElement root = GSON.getAdapter(JsonElement.class).read(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new SpinException(source.name() + ": invalid JSON: extra content after the top-level value");
            }
            return plain(root);
        } catch (IOException | JsonParseException | IllegalStateException e) {
            throw new SpinException(source.name() + ": invalid JSON: " + e.getMessage(), e);
        }
    }

    private static Object plain(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (e.isJsonObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            e.getAsJsonObject().entrySet().forEach(en -> map.put(en.getKey(), plain(en.getValue())));
            return map;
        }
        if (e.isJsonArray()) {
            List<Object> list = new ArrayList<>();
            e.getAsJsonArray().forEach(item -> list.add(plain(item)));
            return list;
        }
        JsonPrimitive p = e.getAsJsonPrimitive();
        if (p.isBoolean()) {
            return p.getAsBoolean();
        }
        if (p.isNumber()) {
            // Keep the literal's kind, as YAML does: 3.0 for an integer key is an error there too.
            String literal = p.getAsNumber().toString();
            return INTEGER.matcher(literal).matches() ? new BigInteger(literal) : Double.parseDouble(literal);
        }
        return p.getAsString();
    }
}
