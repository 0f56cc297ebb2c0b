package org.spin.cli;

import java.util.concurrent.Callable;
import org.spin.config.SpinConfig;
import org.spin.model.Models;
import org.spin.model.Preset;
import org.spin.model.Presets;
import picocli.CommandLine.Command;

@Command(name = "models", description = "List the named models (--model PRESET) with their unique parameters.")
final class ModelsCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.out.printf("%-30s %-10s %13s  %s%n", "preset", "arch", "params", "description");
        for (Preset p : Presets.all()) {
            SpinConfig cfg = p.applyTo(SpinConfig.defaults());
            long params = Models.cost(cfg, p.imageSize()).uniqueParams();
            System.out.printf("%-30s %-10s %,13d  %s%n", p.name(), Models.architecture(cfg).name(), params,
                    p.description());
        }
        System.out.println("use: spin stats --model PRESET [--share-rate R] [KEY VALUE ...]; every command that builds"
                + " a model takes --model");
        return 0;
    }
}
