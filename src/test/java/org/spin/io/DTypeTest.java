package org.spin.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.spin.SpinException;

class DTypeTest {

    @Test
    void everyDtypeRoundTripsThroughItsSafetensorsName() {
        for (DType t : DType.values()) {
            assertThat(DType.fromSafetensors(t.safetensorsName())).isEqualTo(t);
        }
    }

    @Test
    void byteSizesMatchTheSafetensorsSpecification() {
        assertThat(DType.F64.byteSize()).isEqualTo(8);
        assertThat(DType.F32.byteSize()).isEqualTo(4);
        assertThat(DType.BF16.byteSize()).isEqualTo(2);
        assertThat(DType.I64.byteSize()).isEqualTo(8);
        assertThat(DType.BOOL.byteSize()).isEqualTo(1);
    }

    @Test
    void unknownNameIsAUserFacingError() {
        assertThatThrownBy(() -> DType.fromSafetensors("F8_E4M3"))
                .isInstanceOf(SpinException.class)
                .hasMessageContaining("F8_E4M3");
    }
}
