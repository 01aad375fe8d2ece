package dev.seedling.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.seedling.tensor.SeedlingException;
import org.junit.jupiter.api.Test;

class ScheduleTest {
    private static final double EPS = 1e-12;

    @Test
    void cosineWarmsUpLinearlyThenDecaysToTheMinimum() {
        Schedule s = Schedule.of("cosine", 10, 100, 0.1, 0.2);
        assertThat(s).isEqualTo(new Schedule.Cosine(10, 100, 0.1));
        assertThat(s.factor(0)).isCloseTo(0.1, within(EPS));      // first warmup step: 1/warmup
        assertThat(s.factor(4)).isCloseTo(0.5, within(EPS));
        assertThat(s.factor(9)).isCloseTo(1.0, within(EPS));      // last warmup step reaches the peak
        assertThat(s.factor(10)).isCloseTo(1.0, within(EPS));     // decay starts at the peak
        assertThat(s.factor(55)).isCloseTo(0.55, within(EPS));    // midpoint of the decay: (1 + min) / 2
        assertThat(s.factor(100)).isCloseTo(0.1, within(EPS));    // the end: min ratio
        assertThat(s.factor(1000)).isCloseTo(0.1, within(EPS));   // past the end: stays at the minimum
        for (int step = 1; step < 10; step++) assertThat(s.factor(step)).isGreaterThan(s.factor(step - 1));
        for (int step = 11; step <= 100; step++) assertThat(s.factor(step)).isLessThanOrEqualTo(s.factor(step - 1));
        for (int step = 0; step <= 120; step++) assertThat(s.factor(step)).isBetween(0.1 - EPS, 1.0 + EPS);
    }

    @Test
    void cosineWithoutWarmupStartsAtThePeak() {
        Schedule s = Schedule.of("cosine", 0, 50, 0.0, 0.2);
        assertThat(s.factor(0)).isCloseTo(1.0, within(EPS));
        assertThat(s.factor(25)).isCloseTo(0.5, within(EPS));
        assertThat(s.factor(50)).isCloseTo(0.0, within(EPS));
    }

    @Test
    void wsdHoldsThePeakThenDecaysLinearlyOverTheLastFraction() {
        Schedule s = Schedule.of("wsd", 10, 100, 0.1, 0.2);
        assertThat(s).isEqualTo(new Schedule.Wsd(10, 100, 0.2, 0.1));
        assertThat(s.factor(0)).isCloseTo(0.1, within(EPS));
        assertThat(s.factor(9)).isCloseTo(1.0, within(EPS));
        for (int step = 10; step <= 80; step++) assertThat(s.factor(step)).as("stable at step %d", step).isEqualTo(1.0);
        assertThat(s.factor(90)).isCloseTo(0.55, within(EPS));    // halfway through the decay
        assertThat(s.factor(99)).isCloseTo(1 - 0.9 * 0.95, within(EPS));
        assertThat(s.factor(100)).isCloseTo(0.1, within(EPS));
        assertThat(s.factor(500)).isCloseTo(0.1, within(EPS));
        for (int step = 81; step <= 100; step++) assertThat(s.factor(step)).isLessThan(s.factor(step - 1));
    }

    @Test
    void constantWarmsUpThenStaysAtThePeak() {
        Schedule s = Schedule.of("constant", 4, 100, 0.1, 0.2);
        assertThat(s).isEqualTo(new Schedule.Constant(4));
        assertThat(s.factor(0)).isCloseTo(0.25, within(EPS));
        assertThat(s.factor(3)).isCloseTo(1.0, within(EPS));
        for (int step = 4; step < 200; step += 7) assertThat(s.factor(step)).isEqualTo(1.0);
    }

    @Test
    void trainConfigBuildsItsSchedule() {
        TrainConfig cfg = TrainConfig.defaults().withOverrides(java.util.Map.of("schedule", "wsd", "max_steps", 40,
                "warmup_steps", 5, "decay_fraction", 0.25, "min_lr_ratio", 0.0));
        assertThat(cfg.lrSchedule()).isEqualTo(new Schedule.Wsd(5, 40, 0.25, 0.0));
        assertThat(cfg.lrSchedule().factor(40)).isEqualTo(0.0);
    }

    @Test
    void unknownScheduleNamesTheValidOnes() {
        assertThatThrownBy(() -> Schedule.of("linear", 0, 10, 0.1, 0.2))
                .isInstanceOf(SeedlingException.class)
                .hasMessageContaining("'linear'").hasMessageContaining("cosine, wsd or constant");
    }
}
