package org.spin.model;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.spin.Fixtures;
import org.spin.config.SpinConfig;

/** One entry of the reference fixtures' {@code cases.json}, as our config. */
public record ReferenceCase(String name, SpinConfig config, int imageSize, long params, int[] mappingTable,
                            String reduction) {

    public static List<ReferenceCase> all() throws IOException {
        JsonArray cases = JsonParser.parseString(Files.readString(Fixtures.reference("cases.json"))).getAsJsonArray();
        List<ReferenceCase> out = new ArrayList<>();
        for (JsonElement e : cases) {
            JsonObject c = e.getAsJsonObject();
            SpinConfig cfg = SpinConfig.defaults()
                    .with("CONVMIXER.CHANNEL", c.get("dim").getAsInt())
                    .with("CONVMIXER.DEPTH", c.get("depth").getAsInt())
                    .with("CONVMIXER.PATCH_KERNEL", c.get("patch").getAsInt())
                    .with("CONVMIXER.PATCH_STRIDE", c.get("patch").getAsInt())
                    .with("CONVMIXER.KERNEL", c.get("kernel").getAsInt())
                    .with("CONVMIXER.ACT_FUNC", c.get("act").getAsString())
                    .with("MODEL.NUM_CLASSES", c.get("classes").getAsInt())
                    .with("DATA.INPUT_CHANNEL_NUM", List.of(3))
                    .with("CONVMIXER.WEIGHT_SHARE.ENABLE", c.get("share").getAsBoolean())
                    .with("CONVMIXER.WEIGHT_SHARE.SHARE_RATE", c.get("rate").getAsInt())
                    .with("CONVMIXER.WEIGHT_SHARE.SHARING_MAPPING", c.get("mapping").getAsString());
            String reduction = c.get("reduction").isJsonNull() ? null : c.get("reduction").getAsString();
            cfg = cfg.with("CONVMIXER.WEIGHT_SHARE.REDUCTION_FN", reduction);
            JsonArray table = c.get("mapping_table").getAsJsonArray();
            int[] t = new int[table.size()];
            for (int i = 0; i < t.length; i++) {
                t[i] = table.get(i).getAsInt();
            }
            out.add(new ReferenceCase(c.get("name").getAsString(), cfg, c.get("img").getAsInt(),
                    c.get("params").getAsLong(), t, reduction));
        }
        return out;
    }
}
