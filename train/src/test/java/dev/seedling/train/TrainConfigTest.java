package dev.seedling.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seedling.tensor.SeedlingException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainConfigTest {

    @Test
    void defaultsAreValidAndRoundTripThroughTheirMap() {
        TrainConfig d = TrainConfig.defaults();
        assertThat(d.withOverrides(Map.of())).isEqualTo(d);
        assertThat(d.withOverrides(d.toMap())).isEqualTo(d);
        assertThat(d.tokensPerStep()).isEqualTo((long) d.batchSize() * d.seqLen() * d.gradAccum());
    }

    @Test
    void overridesAcceptTextAsOnACommandLine() {
        TrainConfig c = TrainConfig.defaults().withOverrides(Map.of("batch_size", "16", "max_steps", "1e3",
                "learning_rate", "3e-4", "schedule", "constant", "seed", "7", "grad_clip", "0"));
        assertThat(c.batchSize()).isEqualTo(16);
        assertThat(c.maxSteps()).isEqualTo(1000);
        assertThat(c.learningRate()).isEqualTo(3e-4);
        assertThat(c.schedule()).isEqualTo("constant");
        assertThat(c.seed()).isEqualTo(7);
        assertThat(c.gradClip()).isEqualTo(0.0);
    }

    @Test
    void invalidValuesNameTheSettingAndTheRule() {
        TrainConfig d = TrainConfig.defaults();
        assertThatThrownBy(() -> d.withOverrides(Map.of("batch_size", 0)))
                .isInstanceOf(SeedlingException.class).hasMessage("training setting batch_size=0 must be > 0");
        assertThatThrownBy(() -> d.withOverrides(Map.of("learning_rate", -1)))
                .isInstanceOf(SeedlingException.class).hasMessageContaining("learning_rate=-1").hasMessageContaining("> 0");
        assertThatThrownBy(() -> d.withOverrides(Map.of("beta2", 1.0)))
                .isInstanceOf(SeedlingException.class).hasMessageContaining("beta2=1.0").hasMessageContaining("[0, 1)");
        assertThatThrownBy(() -> d.withOverrides(Map.of("min_lr_ratio", 1.5)))
                .isInstanceOf(SeedlingException.class).hasMessageContaining("min_lr_ratio=1.5");
        assertThatThrownBy(() -> d.withOverrides(Map.of("max_steps", 10, "halt_after", 11)))
                .isInstanceOf(SeedlingException.class).hasMessageContaining("halt_after=11").hasMessageContaining("max_steps");
        assertThatThrownBy(() -> d.withOverrides(Map.of("warmup_steps", -1)))
                .isInstanceOf(SeedlingException.class).hasMessageContaining("warmup_steps=-1");
        assertThatThrownBy(() -> d.withOverrides(Map.of("schedule", "linear")))
                .isInstanceOf(SeedlingException.class).hasMessageContaining("'linear'");
        assertThatThrownBy(() -> d.withOverrides(Map.of("max_steps", "2.5")))
                .isInstanceOf(SeedlingException.class).hasMessageContaining("max_steps=2.5").hasMessageContaining("whole number");
    }

    @Test
    void aValueThatIsNotANumberNamesTheSetting() {
        assertThatThrownBy(() -> TrainConfig.defaults().withOverrides(Map.of("batch_size", "lots")))
                .isInstanceOf(SeedlingException.class).hasMessageContaining("batch_size").hasMessageContaining("lots");
        assertThatThrownBy(() -> TrainConfig.defaults().withOverrides(Map.of("learning_rate", "fast")))
                .isInstanceOf(SeedlingException.class).hasMessageContaining("learning_rate").hasMessageContaining("fast");
    }

    @Test
    void unknownKeyListsTheValidKeys() {
        assertThatThrownBy(() -> TrainConfig.defaults().withOverrides(Map.of("batchsize", 4)))
                .isInstanceOf(SeedlingException.class)
                .hasMessageContaining("'batchsize'")
                .hasMessageContaining("valid settings:")
                .satisfies(e -> {
                    for (String key : TrainConfig.defaults().toMap().keySet()) assertThat(e.getMessage()).contains(key);
                });
    }
}
