package dev.seedling.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seedling.testkit.SeedReporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A short run on English-like text learns (validation loss falls clearly) and is deterministic. */
@ExtendWith(SeedReporter.class)
class LearningTest {
    private static final int STEPS = 80;

    @TempDir
    static Path shared;
    static Path data;

    @TempDir
    Path tmp;

    @BeforeAll
    static void packCorpus() {
        data = TrainFixtures.packedCorpus(shared, "LearningTest");
    }

    @Test
    void validationLossFallsWellBelowItsInitialValue() {
        List<Long> evals = new ArrayList<>();
        List<Long> steps = new ArrayList<>();
        StepListener listener = new StepListener() {
            @Override
            public void onStep(StepStats s) {
                steps.add(s.step());
                assertThat(s.loss()).isFinite();
                assertThat(s.gradNorm()).isFinite().isPositive();
                assertThat(s.tokens()).isEqualTo(s.step() * 4 * 32);
                assertThat(s.mfu()).as("no peak given").isNaN();
            }

            @Override
            public void onEval(long step, double valLoss) {
                evals.add(step);
            }
        };
        TrainConfig cfg = TrainFixtures.train(STEPS, Map.of("warmup_steps", 10, "eval_every", 40));
        TrainResult r = Trainer.run(new Trainer.Request(TrainFixtures.tinyModel(), cfg, data, TrainFixtures.TOKENIZER,
                tmp.resolve("run"), false, 0, listener));

        // byte-level text under a near-uniform initial model: about ln(320) ≈ 5.77 nats
        assertThat(r.initialValLoss()).isBetween(5.0, 6.5);
        assertThat(r.valLoss()).as("validation loss %.4f → %.4f", r.initialValLoss(), r.valLoss())
                .isLessThan(r.initialValLoss() - 1.0);
        double firstTrain = r.losses()[0], lastTrain = r.losses()[STEPS - 1];
        assertThat(lastTrain).isLessThan(firstTrain - 1.0);
        assertThat(steps).hasSize(STEPS).startsWith(1L).endsWith((long) STEPS);
        assertThat(evals).containsExactly(0L, 40L, 80L);
        assertThat(r.tokensPerSecond()).isPositive();
        for (String f : List.of("config.json", "model.safetensors", "generation_config.json", "tokenizer.json"))
            assertThat(r.modelDir().resolve(f)).isRegularFile();
        // the loss chart: one training curve and three validation points
        String svg = readString(tmp.resolve("run/loss.svg"));
        assertThat(svg).startsWith("<svg").contains("<polyline").contains("train loss");
        assertThat(svg.split("<circle", -1)).hasSize(4);
        assertThat(Files.isRegularFile(tmp.resolve("run/run.json"))).isTrue();
    }

    @Test
    void sameSeedGivesIdenticalLossesAndWeights() {
        TrainConfig cfg = TrainFixtures.train(12, Map.of("grad_accum", 2));
        TrainResult a = TrainFixtures.run(TrainFixtures.tinyModel(), cfg, data, tmp.resolve("a"), false);
        TrainResult b = TrainFixtures.run(TrainFixtures.tinyModel(), cfg, data, tmp.resolve("b"), false);
        assertThat(b.losses()).containsExactly(a.losses());
        assertThat(b.initialValLoss()).isEqualTo(a.initialValLoss());
        assertThat(b.valLoss()).isEqualTo(a.valLoss());
        assertThat(TrainFixtures.bytes(b.modelDir().resolve("model.safetensors")))
                .isEqualTo(TrainFixtures.bytes(a.modelDir().resolve("model.safetensors")));

        TrainResult c = TrainFixtures.run(TrainFixtures.tinyModel(), cfg.withOverrides(Map.of("seed", 99)), data,
                tmp.resolve("c"), false);
        assertThat(c.losses()).as("another seed gives another run").isNotEqualTo(a.losses());
    }

    private static String readString(Path p) {
        try {
            return java.nio.file.Files.readString(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
