package dev.seedling.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seedling.model.LlamaConfig;
import dev.seedling.model.LlamaModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Resume in a fresh JVM must continue the curve bit for bit, so a training step must give identical bits whether its
 * kernels run interpreted or JIT-compiled (the Vector API's reduceLanes(ADD) and EXP do not: the kernels avoid them).
 * This runs the same steps in a child JVM with {@code -Xint} and compares with this (warmed-up) JVM.
 */
class FreshJvmDeterminismTest {

    /** Losses and a checksum of the weights after a few steps of a small model on fixed random tokens. */
    static String fingerprint() {
        LlamaConfig mc = LlamaConfig.of(40, 32, 2, 4, 2, 48, 16, false);
        TrainConfig cfg = TrainConfig.defaults().withOverrides(Map.of("batch_size", 2, "seq_len", 16,
                "max_steps", 3, "warmup_steps", 1, "learning_rate", 1e-2));
        LlamaModel model = LlamaModel.initialize(mc, 5, true);
        TrainStep step = new TrainStep(model, model.weights().sameLayout(), model.weights().sameLayout(), cfg);
        SplittableRandom r = new SplittableRandom(9);
        int[] x = new int[32], y = new int[32];
        for (int i = 0; i < 32; i++) {
            x[i] = r.nextInt(40);
            y[i] = r.nextInt(40);
        }
        StringBuilder sb = new StringBuilder();
        for (int s = 0; s < 3; s++) {
            TrainStep.Outcome o = step.run(s, (in, tg) -> {
                System.arraycopy(x, 0, in, 0, 32);
                System.arraycopy(y, 0, tg, 0, 32);
            });
            sb.append(Double.doubleToRawLongBits(o.loss())).append(',').append(Double.doubleToRawLongBits(o.gradNorm())).append(';');
        }
        long h = 1;
        for (float f : model.weights().data()) h = 31 * h + Float.floatToRawIntBits(f);
        return sb.append(h).toString();
    }

    public static void main(String[] args) {
        System.out.println("FINGERPRINT " + fingerprint());
    }

    @Test
    void interpretedAndCompiledStepsGiveIdenticalBits() throws IOException, InterruptedException {
        String here = null;
        for (int i = 0; i < 30; i++) here = fingerprint(); // warm up: the kernels get JIT-compiled
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(java, "-Xint", "--add-modules", "jdk.incubator.vector",
                "-Dseedling.threads=" + dev.seedling.tensor.Parallel.threads(),
                "-Dseedling.scalar=" + System.getProperty("seedling.scalar", "false"),
                "-cp", System.getProperty("java.class.path"), FreshJvmDeterminismTest.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String child = out.lines().filter(l -> l.startsWith("FINGERPRINT ")).map(l -> l.substring(12)).findFirst()
                .orElseThrow(() -> new AssertionError("child JVM printed no fingerprint:\n" + out));
        assertThat(child).as("interpreted (-Xint) vs JIT-compiled training steps").isEqualTo(here);
    }
}
