package dev.seedling.model.infer;

import dev.seedling.model.LlamaConfig;
import dev.seedling.model.LlamaModel;
import dev.seedling.tensor.MatMul;
import dev.seedling.tensor.Parallel;
import dev.seedling.tensor.Simd;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * A quick speed probe of the engine (not a test): prompt processing of a 512-token prompt and decode tokens/s,
 * single sequence and batch 8, on a preset's shape with random weights, plus two ceilings measured in the same run
 * (streaming every weight once; one large matmul). Each figure is timed many times and reported as the best and the
 * median, since on a shared machine the best approximates an idle one. The real benchmark is
 * {@code seedling bench generate}. Usage: {@code InferenceSpeed [preset] [repeats]}; threads from
 * {@code -Dseedling.threads}.
 */
public final class InferenceSpeed {
    static volatile float sink;

    public static void main(String[] args) {
        String preset = args.length > 0 ? args[0] : "smollm2-135m";
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        LlamaConfig c = LlamaConfig.preset(preset);
        // "plain" as third argument: f32 matrices through MatMul.nt only (hidden from the F32DecodeMatrix path)
        boolean plain = args.length > 2 && args[2].equals("plain");
        InferenceModel m = InferenceModel.of(LlamaModel.initialize(c, 1, false).weights(), f -> plain ? new Plain(f) : f);
        int V = c.vocabSize();
        SplittableRandom r = new SplittableRandom(7);
        int[] prompt = new int[512];
        for (int i = 0; i < prompt.length; i++) prompt[i] = r.nextInt(V);
        KvCache cache = m.newCache(8, 512 + 8 * reps + 64);
        float[] logits = new float[8 * V];
        long bytes = m.weightBytes();
        System.out.printf(Locale.ROOT, "preset %s, %d threads, weights %.1f MB (%s)%n", preset, Parallel.threads(), bytes / 1e6, m.weightFormat());
        m.prefill(cache, 0, Arrays.copyOf(prompt, 64), logits); // warm-up
        for (int i = 0; i < 8; i++) m.decode(cache, new int[] {0}, new int[] {1}, 1, logits);

        double[] pp = new double[3];
        for (int i = 0; i < pp.length; i++) {
            cache.reset(0);
            long t0 = System.nanoTime();
            m.prefill(cache, 0, prompt, logits);
            pp[i] = (System.nanoTime() - t0) / 1e9;
        }
        double[] tg1 = new double[reps * 2];
        int[] slot = {0}, tok = {5};
        for (int i = 0; i < tg1.length; i++) {
            long t0 = System.nanoTime();
            m.decode(cache, slot, tok, 1, logits);
            tg1[i] = (System.nanoTime() - t0) / 1e9;
        }
        int[] slots = {0, 1, 2, 3, 4, 5, 6, 7}, toks = new int[8];
        for (int s = 1; s < 8; s++) m.prefill(cache, s, Arrays.copyOf(prompt, 64 + 56 * s), logits);
        double[] tg8 = new double[reps];
        for (int i = 0; i < tg8.length; i++) {
            long t0 = System.nanoTime();
            m.decode(cache, slots, toks, 8, logits);
            tg8[i] = (System.nanoTime() - t0) / 1e9;
        }
        float[] data = m.weights().data();
        double[] stream = new double[reps];
        for (int i = 0; i < stream.length; i++) {
            long t0 = System.nanoTime();
            streamSum(data);
            stream[i] = (System.nanoTime() - t0) / 1e9;
        }
        float[] a = new float[512 * 576], b = new float[3072 * 576], cc = new float[512 * 3072];
        double[] mm = new double[10];
        for (int i = 0; i < mm.length; i++) {
            long t0 = System.nanoTime();
            MatMul.nt(cc, 0, 3072, a, 0, 576, b, 0, 576, 512, 3072, 576, false);
            mm[i] = (System.nanoTime() - t0) / 1e9;
        }
        double ppBest = 512 / min(pp), ppMed = 512 / median(pp);
        double tg1Best = 1 / min(tg1), tg1Med = 1 / median(tg1), tg8Best = 8 / min(tg8), tg8Med = 8 / median(tg8);
        double bw = 4.0 * data.length / min(stream), gf = 2.0 * 512 * 3072 * 576 / min(mm);
        double flopsPerToken = 2.0 * (bytes / 4 - (long) V * c.hiddenSize());
        System.out.printf(Locale.ROOT, "pp512:          best %6.1f  median %6.1f tokens/s%n", ppBest, ppMed);
        System.out.printf(Locale.ROOT, "decode batch 1: best %6.1f  median %6.1f tokens/s (after a 512-token prompt)%n", tg1Best, tg1Med);
        System.out.printf(Locale.ROOT, "decode batch 8: best %6.1f  median %6.1f tokens/s in total (contexts 64..512)%n", tg8Best, tg8Med);
        System.out.printf(Locale.ROOT, "ceiling, streaming the weights: %.1f GB/s -> decode batch 1 <= %.1f tokens/s; best decode reaches %.0f%%%n",
                bw / 1e9, bw / bytes, 100 * tg1Best * bytes / bw);
        System.out.printf(Locale.ROOT, "ceiling, 512x3072x576 matmul: %.1f GFLOP/s -> pp512 <= %.1f tokens/s (projections only); best prefill reaches %.0f%%%n",
                gf / 1e9, gf / flopsPerToken, 100 * ppBest * flopsPerToken / gf);
        System.out.printf(Locale.ROOT, "{\"probe\":\"generate\",\"preset\":\"%s\",\"threads\":%d,\"pp512\":%.1f,\"tg1\":%.1f,\"tg8\":%.1f,\"stream_gbs\":%.1f,\"gemm_gflops\":%.1f}%n",
                preset, Parallel.threads(), ppBest, tg1Best, tg8Best, bw / 1e9, gf / 1e9);
    }

    /** An f32 matrix that is not an F32Matrix, so the engine keeps MatMul.nt for every m (comparison only). */
    record Plain(dev.seedling.tensor.quant.F32Matrix f) implements dev.seedling.tensor.quant.WeightMatrix {
        public int rows() { return f.rows(); }
        public int cols() { return f.cols(); }
        public void matmul(float[] y, int yOff, float[] x, int xOff, int m) { f.matmul(y, yOff, x, xOff, m); }
        public long bytes() { return f.bytes(); }
        public void row(int r, float[] dst, int dstOff) { f.row(r, dst, dstOff); }
        public String format() { return "f32-matmul"; }
    }

    static double min(double[] a) {
        return Arrays.stream(a).min().orElseThrow();
    }

    static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    /** Sums the array with the pool (contiguous halves), as the matrix-vector products stream their weights. */
    static void streamSum(float[] data) {
        float[] parts = new float[Parallel.threads()];
        int chunks = 4096;
        Parallel.forRange(chunks, (w, lo, hi) -> {
            long from = (long) data.length * lo / chunks, to = (long) data.length * hi / chunks;
            FloatVector acc0 = FloatVector.zero(Simd.F), acc1 = acc0;
            int L = Simd.F.length(), i = (int) from;
            for (; i + 2 * L <= to; i += 2 * L) {
                acc0 = acc0.add(FloatVector.fromArray(Simd.F, data, i));
                acc1 = acc1.add(FloatVector.fromArray(Simd.F, data, i + L));
            }
            parts[w] += acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        });
        float s = 0;
        for (float p : parts) s += p;
        sink = s;
    }
}
