package org.spin.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import org.spin.SpinException;

/**
 * Reads model weights from any file a user may hold: our safetensors checkpoints (with their
 * config and plan as metadata), plain safetensors, or the reference's PyTorch {@code .pth} /
 * {@code .pyth} files (a bare state dict, or one under {@code "model_state"}, {@code "model"}, {@code "model_ema"} or
 * {@code "state_dict"}), told apart by content.
 */
public final class WeightFiles {

    private WeightFiles() {}

    public static SafeTensorsFile read(Path path) {
        if (isZip(path)) {
            Map<String, HostTensor> sd = TorchCheckpoint.readStateDict(path);
            return new SafeTensorsFile(sd, Map.of());
        }
        return SafeTensors.read(path);
    }

    static boolean isZip(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            byte[] magic = in.readNBytes(2);
            return magic.length == 2 && magic[0] == 'P' && magic[1] == 'K';
        } catch (NoSuchFileException e) {
            throw new SpinException(path + ": no such weights file");
        } catch (IOException e) {
            throw new SpinException(path + ": cannot read (" + e.getMessage() + ")");
        }
    }
}
