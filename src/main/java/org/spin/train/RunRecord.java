package org.spin.train;

import java.util.List;
import org.spin.config.SpinConfig;
import org.spin.data.DataConfig;
import org.spin.data.DataSources;
import org.spin.model.Models;

/**
 * What a run records about itself, read from the config once at the top: the run directory's
 * header and every checkpoint's metadata carry it, so a checkpoint can be rebuilt (its config, its
 * classes) and a resume checked against it (its reduction).
 *
 * @param reductionKey the architecture's {@code ….WEIGHT_SHARE.REDUCTION_FN} key
 * @param reduction    its value; null without fusion
 */
public record RunRecord(String arch, String configJson, String configYaml, long seed, String dataset,
                        List<String> classNames, String reductionKey, String reduction) {

    public RunRecord {
        classNames = List.copyOf(classNames);
    }

    public static RunRecord of(SpinConfig cfg) {
        String reductionKey = Models.weightShare(cfg) + "REDUCTION_FN";
        return new RunRecord(cfg.getString("MODEL.ARCH"), cfg.toJson(), cfg.toYaml(), cfg.getInt("RNG_SEED"),
                cfg.getString("TRAIN.DATASET"), DataSources.classNames(DataConfig.from(cfg)), reductionKey,
                cfg.getString(reductionKey));
    }
}
