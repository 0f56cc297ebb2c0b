package org.spin.predict;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.util.NDImageUtils;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Java resize equals what the engine computed before (PyTorch's interpolate on float, then
 * rounded and clipped): the very code {@code ImageInput} ran until ONNX Runtime's path needed an
 * engine-free one.
 */
class StretchTest {

    @ParameterizedTest(name = "{0}x{1}x{2} -> {3}")
    @CsvSource({"1,56,56,28", "1,45,30,28", "3,100,77,28", "3,64,64,32", "1,10,10,28", "3,17,31,32", "1,28,40,28",
            "3,5,9,32", "1,29,29,28"})
    void equalsTheEnginesInterpolation(int channels, int h, int w, int size) {
        byte[] chw = new byte[channels * h * w];
        new Random(h * 31L + w).nextBytes(chw);
        byte[] ours = Stretch.resize(chw, channels, h, w, size);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray hwc = m.create(chw, new Shape(channels, h, w)).toType(DataType.UINT8, false).transpose(1, 2, 0);
            boolean shrinking = w > size || h > size;
            NDArray engine = NDImageUtils.resize(hwc.toType(DataType.FLOAT32, false), size, size,
                            shrinking ? Image.Interpolation.AREA : Image.Interpolation.BILINEAR)
                    .round().clip(0, 255).toType(DataType.UINT8, false).transpose(2, 0, 1);
            assertThat(ours).isEqualTo(engine.toByteArray());
        }
    }
}
