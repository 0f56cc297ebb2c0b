package org.spin.cli;

import java.util.concurrent.Callable;
import org.spin.config.SpinConfig;
import org.spin.model.Models;
import org.spin.model.Preset;
import org.spin.model.Presets;
import org.spin.model.RecipePreset;
import picocli.CommandLine.Command;

@Command(name = "models", description = "List the named models (--model PRESET) with their unique parameters.")
final class ModelsCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.out.printf("%-30s %-10s %13s  %-15s %s%n", "preset", "arch", "params", "recipe", "description");
        for (Preset p : Presets.all()) {
            SpinConfig cfg = p.applyTo(SpinConfig.defaults());
            long params = Models.cost(cfg, p.imageSize()).uniqueParams();
            System.out.printf("%-30s %-10s %,13d  %-15s %s%n", p.name(), Models.architecture(cfg).name(), params,
                    p.recipe() == null ? "defaults" : p.recipe().name(), p.description());
        }
        System.out.println("recipes (a preset trains with its paper's; your settings win):");
        for (RecipePreset r : RecipePreset.all()) {
            System.out.printf("  %-16s %s; presets: %s%n", r.name(), r.description(), String.join(", ",
                    Presets.all().stream().filter(p -> p.recipe() == r).map(Preset::name).toList()));
        }
        System.out.println("  the others train with our defaults (the Fashion-MNIST demo's); spin stats --model PRESET"
                + " prints the whole recipe");
        System.out.println("use: spin stats --model PRESET [--share-rate R] [KEY VALUE ...]; every command that builds"
                + " a model takes --model");
        return 0;
    }
}
