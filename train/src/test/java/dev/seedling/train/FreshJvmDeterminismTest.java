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
        return fingerprint(32, 48, 2, 16);
    }

    /**
     * The fingerprint of a model of the given hidden/ffn size trained on {@code batch × seq} tokens: large enough
     * sizes take every kernel's parallel path.
     */
    static String fingerprint(int hidden, int ffn, int batch, int seq) {
        LlamaConfig mc = LlamaConfig.of(40, hidden, 2, 4, 2, ffn, seq, false);
        TrainConfig cfg = TrainConfig.defaults().withOverrides(Map.of("batch_size", batch, "seq_len", seq,
                "max_steps", 3, "warmup_steps", 1, "learning_rate", 1e-2));
        LlamaModel model = LlamaModel.initialize(mc, 5, true);
        TrainStep step = new TrainStep(model, model.weights().sameLayout(), model.weights().sameLayout(), cfg);
        SplittableRandom r = new SplittableRandom(9);
        int n = batch * seq;
        int[] x = new int[n], y = new int[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextInt(40);
            y[i] = r.nextInt(40);
        }
        StringBuilder sb = new StringBuilder();
        for (int s = 0; s < 3; s++) {
            TrainStep.Outcome o = step.run(s, (in, tg) -> {
                System.arraycopy(x, 0, in, 0, n);
                System.arraycopy(y, 0, tg, 0, n);
            });
            sb.append(Double.doubleToRawLongBits(o.loss())).append(',').append(Double.doubleToRawLongBits(o.gradNorm())).append(';');
        }
        long h = 1;
        for (float f : model.weights().data()) h = 31 * h + Float.floatToRawIntBits(f);
        return sb.append(h).toString();
    }

    /** Prints the fingerprint: of the small model, or with {@code large} of one big enough to run in parallel. */
    public static void main(String[] args) {
        boolean large = args.length > 0 && args[0].equals("large");
        System.out.println("FINGERPRINT " + (large ? fingerprint(128, 256, 4, 64) : fingerprint()));
    }

    @Test
    void interpretedAndCompiledStepsGiveIdenticalBits() throws IOException, InterruptedException {
        String here = null;
        for (int i = 0; i < 30; i++) here = fingerprint(); // warm up: the kernels get JIT-compiled
        String child = child(List.of("-Xint", "-Dseedling.threads=" + dev.seedling.tensor.Parallel.threads()), "small");
        assertThat(child).as("interpreted (-Xint) vs JIT-compiled training steps").isEqualTo(here);
    }

    @Test
    void theThreadCountDoesNotChangeTheBits() throws IOException, InterruptedException {
        // every output element is reduced by one thread in a fixed order, and reductions over rows are split over
        // columns or into fixed blocks: so even a different thread count gives the same run
        String one = child(List.of("-Dseedling.threads=1"), "large");
        assertThat(child(List.of("-Dseedling.threads=3"), "large")).as("1 vs 3 threads").isEqualTo(one);
        assertThat(fingerprint(128, 256, 4, 64)).as("1 thread vs this JVM's pool").isEqualTo(one);
    }

    /** Runs {@link #main} in a child JVM with {@code flags} and returns its fingerprint. */
    private static String child(List<String> flags, String size) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector"));
        cmd.addAll(flags);
        cmd.addAll(List.of("-Dseedling.scalar=" + System.getProperty("seedling.scalar", "false"),
                "-cp", System.getProperty("java.class.path"), FreshJvmDeterminismTest.class.getName(), size));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return out.lines().filter(l -> l.startsWith("FINGERPRINT ")).map(l -> l.substring(12)).findFirst()
                .orElseThrow(() -> new AssertionError("child JVM printed no fingerprint:\n" + out));
    }
}
