package dev.seedling.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.seedling.tensor.Parallel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Encoding throughput of {@link HfTokenizer} against the Rust library (DJL) on the same English text, in one run:
 * {@code java ... dev.seedling.tokenizer.HfEncodeSpeed <name> <english.txt> [seconds]} with the test classpath
 * (plus {@code tokenizer/src/test/resources}); {@code -Dseedling.threads=N} sets the pool size for the parallel
 * figure. The text is cut into documents of about 4 KB at line ends. A measurement program, not a test; the real
 * benchmark is {@code seedling bench tokenizer}.
 */
public final class HfEncodeSpeed {
    private HfEncodeSpeed() {}

    public static void main(String[] args) throws Exception {
        String name = args[0];
        String text = Files.readString(Path.of(args[1]));
        double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 5;
        List<String> docs = new ArrayList<>();
        for (int i = 0; i < text.length(); ) {
            int end = Math.min(text.length(), i + 4096);
            int nl = text.indexOf('\n', end);
            end = nl < 0 ? text.length() : nl + 1;
            docs.add(text.substring(i, end));
            i = end;
        }
        long bytes = text.getBytes(StandardCharsets.UTF_8).length;
        HfTokenizer tok = HfFixtures.tokenizer(name);
        long tokens = 0;
        for (String d : docs) tokens += tok.encode(d).length;
        System.out.printf("%s: %d docs, %.2f MB, %d tokens, %d threads in the pool%n", name, docs.size(), bytes / 1e6, tokens, Parallel.threads());

        double mine1 = rate(bytes, seconds, () -> {
            for (String d : docs) tok.encode(d);
        });
        double mine1Cpu = lastCpuRate;
        double mineN = rate(bytes, seconds, () -> tok.encodeAll(docs));
        Path dir = Files.createTempDirectory("hf-speed");
        Path file = HfFixtures.writeTo(name, dir);
        try (HuggingFaceTokenizer rust = HuggingFaceTokenizer.builder().optTokenizerPath(file)
                .optAddSpecialTokens(false).optTruncation(false).optPadding(false).build()) {
            long rustTokens = 0;
            for (String d : docs) rustTokens += rust.encode(d, false, false).getIds().length;
            if (rustTokens != tokens) throw new IllegalStateException("token counts differ: rust " + rustTokens + " vs " + tokens);
            double rust1 = rate(bytes, seconds, () -> {
                for (String d : docs) rust.encode(d, false, false);
            });
            double rust1Cpu = lastCpuRate;
            double rustBatch = rate(bytes, seconds, () -> rust.batchEncode(docs, false, false));
            System.out.printf("seedling 1 thread %.2f MB/s (%.2f per CPU-second), seedling encodeAll (%d threads) %.2f MB/s, "
                            + "rust (DJL) 1 thread %.2f MB/s (%.2f per CPU-second), rust batchEncode %.2f MB/s%n",
                    mine1, mine1Cpu, Parallel.threads(), mineN, rust1, rust1Cpu, rustBatch);
            System.out.printf("{\"bench\":\"hf-encode\",\"tokenizer\":\"%s\",\"threads\":%d,\"seedling_1t_mb_s\":%.3f,"
                            + "\"seedling_1t_mb_per_cpu_s\":%.3f,\"seedling_all_mb_s\":%.3f,\"rust_1t_mb_s\":%.3f,"
                            + "\"rust_1t_mb_per_cpu_s\":%.3f,\"rust_batch_mb_s\":%.3f}%n",
                    name, Parallel.threads(), mine1, mine1Cpu, mineN, rust1, rust1Cpu, rustBatch);
        }
    }

    /** MB per CPU-second of the calling thread in the last {@link #rate} call (meaningful for one-thread bodies). */
    private static double lastCpuRate;

    /** MB/s of {@code body} over {@code bytes}: one warm-up pass, then passes for about {@code seconds}. */
    private static double rate(long bytes, double seconds, Runnable body) {
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        body.run();
        long start = System.nanoTime(), cpu = mx.getCurrentThreadCpuTime();
        int passes = 0;
        do {
            body.run();
            passes++;
        } while (System.nanoTime() - start < seconds * 1e9);
        lastCpuRate = bytes * (double) passes / ((mx.getCurrentThreadCpuTime() - cpu) / 1e9) / 1e6;
        return bytes * (double) passes / ((System.nanoTime() - start) / 1e9) / 1e6;
    }
}
