package dev.seedling.bench;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seedling.data.demo.DemoCorpus;
import dev.seedling.tensor.AtomicFiles;
import dev.seedling.tensor.Parallel;
import dev.seedling.tensor.SeedlingException;
import dev.seedling.tokenizer.HfTokenizer;
import dev.seedling.tokenizer.train.BpeTrainer;
import dev.seedling.tokenizer.train.BpeTrainerConfig;
import dev.seedling.tokenizer.train.TrainedBpe;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * {@code seedling bench tokenizer}: byte-level BPE training time per 100 MB of text, and encode throughput (MB/s of
 * UTF-8 text, 1 thread and the pool's threads) for (a) a 32k vocabulary trained here and (b) a real Llama-3 vocabulary
 * (128k tokens), each against the Rust HF {@code tokenizers} library (DJL's JNI build) encoding the same texts with
 * the same {@code tokenizer.json} in the same run. The reference runs in a child JVM so that
 * {@code RAYON_NUM_THREADS} (read once when Rust's thread pool starts) can be set to the same thread count; it
 * times Rust's {@code encode} one text at a time (1 thread) and {@code batch_encode} over all texts (N threads)
 * through DJL's native calls, reading back only the ids (DJL's {@code Encoding} objects, which copy every token
 * string into Java, cost several times Rust's encoding itself), and the benchmark checks that both sides produced
 * the same ids.
 *
 * <p>Wall-clock rates swing with other load on a shared machine; the 1-thread figures are therefore also given per
 * CPU-second of the encoding thread (Rust's time included, as it runs on the calling thread), and training also
 * reports the CPU time it used.
 *
 * <p>The corpus: the demo domain's documents, interleaved with as much synthetic text again (Zipf-distributed words
 * of a 200k-word invented lexicon, with numbers and punctuation), because the demo domain alone has too few distinct
 * words to fill a 32k vocabulary.
 */
public final class TokenizerBenchmark {
    private TokenizerBenchmark() {}

    /**
     * @param llama3     a Llama-3 {@code tokenizer.json} (or {@code .json.gz}, or a folder holding one); null to skip (b)
     * @param trainMb    MB of text to train the 32k vocabulary on
     * @param encodeMb   MB of text to encode in each throughput measurement
     * @param vocabSize  size of the trained vocabulary
     * @param reference  run the Rust reference
     * @param repeats    timed repetitions of each encode measurement (the best is reported)
     */
    public record Options(Path llama3, double trainMb, double encodeMb, int vocabSize, boolean reference, int repeats) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    public static Map<String, Object> run(Options o, PrintStream out) {
        int threads = Parallel.threads();
        out.printf(Locale.ROOT, "bench tokenizer: train %.0f MB → %d tokens, encode %.0f MB, %d threads%n", o.trainMb(),
                o.vocabSize(), o.encodeMb(), threads);
        Path work;
        try {
            work = Files.createTempDirectory("seedling-bench-tokenizer");
        } catch (IOException e) {
            throw new SeedlingException("cannot create a temporary folder: " + e.getMessage());
        }
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("bench", "tokenizer");
        f.put("threads", threads);
        try {
            List<String> trainDocs = corpus(work.resolve("demo"), (long) (o.trainMb() * 1e6), 1);
            long trainBytes = utf8Bytes(trainDocs);
            long t0 = System.nanoTime(), cpu0 = processCpuNanos();
            TrainedBpe bpe = BpeTrainer.train(trainDocs.iterator(), BpeTrainerConfig.defaults().withVocabSize(o.vocabSize()), null);
            double trainS = (System.nanoTime() - t0) / 1e9, trainCpuS = (processCpuNanos() - cpu0) / 1e9;
            Path trained = work.resolve("trained");
            bpe.save(trained);
            trainDocs = null;
            double per100 = trainS * 1e8 / trainBytes;
            out.printf(Locale.ROOT, "  train: %.1f MB in %.2f s (count %.2f s, merges %.2f s; %.2f s of CPU) → %.1f s per 100 MB; %,d tokens, %,d distinct words%n",
                    trainBytes / 1e6, trainS, bpe.stats().countSeconds(), bpe.stats().mergeSeconds(), trainCpuS, per100, bpe.vocabSize(),
                    bpe.stats().distinctWords());
            f.put("train_mb", trainBytes / 1e6);
            f.put("train_s", trainS);
            f.put("train_s_per_100mb", per100);
            f.put("train_cpu_s", trainCpuS);

            List<String> texts = corpus(work.resolve("demo-encode"), (long) (o.encodeMb() * 1e6), 2);
            Path textsFile = work.resolve("texts.jsonl");
            writeTexts(textsFile, texts);
            f.put("encode_mb", utf8Bytes(texts) / 1e6);
            encodeCase("trained", trained.resolve("tokenizer.json"), texts, textsFile, o, out, f);
            if (o.llama3() != null) {
                Path llama = unpack(o.llama3(), work.resolve("llama3"));
                encodeCase("llama3", llama, texts, textsFile, o, out, f);
            } else {
                out.println("  llama3: no tokenizer.json given (--tokenizer) and none in the source tree; skipped");
            }
        } finally {
            AtomicFiles.deleteQuietly(work);
        }
        out.println(BenchJson.line(f));
        return f;
    }

    /** Times Seedling's encoder on 1 thread and on the pool, then the Rust reference, and records the figures. */
    private static void encodeCase(String name, Path tokenizerJson, List<String> texts, Path textsFile, Options o,
                                   PrintStream out, Map<String, Object> f) {
        HfTokenizer tok = HfTokenizer.load(tokenizerJson);
        long bytes = utf8Bytes(texts);
        int[][] ids = new int[texts.size()][];
        double best1 = Double.MAX_VALUE, bestN = Double.MAX_VALUE, bestCpu1 = Double.MAX_VALUE;
        // warm-up: one untimed pass on the pool and one on this thread, so both paths are compiled and the piece
        // cache is filled before timing (a 50-text warm-up left the pool timings at half their steady-state speed)
        tok.encodeAll(texts);
        for (String t : texts) tok.encode(t);
        for (int r = 0; r < o.repeats(); r++) {
            long t0 = System.nanoTime(), c0 = threadCpuNanos();
            for (int i = 0; i < texts.size(); i++) ids[i] = tok.encode(texts.get(i));
            best1 = Math.min(best1, (System.nanoTime() - t0) / 1e9);
            bestCpu1 = Math.min(bestCpu1, (threadCpuNanos() - c0) / 1e9);
            t0 = System.nanoTime();
            int[][] all = tok.encodeAll(texts);
            bestN = Math.min(bestN, (System.nanoTime() - t0) / 1e9);
            if (r == 0 && !Arrays.deepEquals(all, ids)) throw new IllegalStateException("encodeAll differs from encode");
        }
        long tokens = 0;
        for (int[] a : ids) tokens += a.length;
        double mb1 = bytes / 1e6 / best1, mbN = bytes / 1e6 / bestN, mbCpu = bytes / 1e6 / bestCpu1;
        out.printf(Locale.ROOT, "  %s (%,d tokens in vocab): seedling %.2f MB/s on 1 thread (%.2f MB per CPU-second), %.2f MB/s on %d; %,d tokens, %.3f bytes/token%n",
                name, tok.vocabSize(), mb1, mbCpu, mbN, Parallel.threads(), tokens, (double) bytes / tokens);
        f.put(name + "_vocab", tok.vocabSize());
        f.put(name + "_tokens", tokens);
        f.put(name + "_mb_s_1t", mb1);
        f.put(name + "_mb_per_cpu_s_1t", mbCpu);
        f.put(name + "_mb_s", mbN);
        if (!o.reference()) return;
        Map<String, Object> ref = runReference(tokenizerJson, textsFile, o.repeats(), out);
        if (ref == null) return;
        double r1 = ((Number) ref.get("mb_s_1t")).doubleValue(), rN = ((Number) ref.get("mb_s")).doubleValue();
        double rCpu = ((Number) ref.get("mb_per_cpu_s_1t")).doubleValue();
        boolean same = digest(ids).equals(ref.get("digest"));
        out.printf(Locale.ROOT, "  %s rust reference: %.2f MB/s on 1 thread (%.2f MB per CPU-second), %.2f MB/s batch on %d → seedling is %.2fx (per CPU-second %.2fx) / %.2fx the reference; ids %s%n",
                name, r1, rCpu, rN, Parallel.threads(), mb1 / r1, mbCpu / rCpu, mbN / rN, same ? "identical" : "DIFFER");
        f.put(name + "_rust_mb_s_1t", r1);
        f.put(name + "_rust_mb_s", rN);
        f.put(name + "_rust_mb_per_cpu_s_1t", rCpu);
        f.put(name + "_ratio_1t", mb1 / r1);
        f.put(name + "_ratio_per_cpu_s_1t", mbCpu / rCpu);
        f.put(name + "_ratio", mbN / rN);
        f.put(name + "_ids_match", same);
    }

    private static final Pattern RESULT = Pattern.compile("^reference (\\{.*})$", Pattern.MULTILINE);

    /** Runs {@link Reference#main} in a child JVM with {@code RAYON_NUM_THREADS} = the pool's thread count. */
    private static Map<String, Object> runReference(Path tokenizerJson, Path textsFile, int repeats, PrintStream out) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx4g", "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), Reference.class.getName(), tokenizerJson.toString(),
                textsFile.toString(), String.valueOf(repeats)).redirectErrorStream(true);
        pb.environment().put("RAYON_NUM_THREADS", String.valueOf(Parallel.threads()));
        pb.environment().put("TOKENIZERS_PARALLELISM", "true");
        try {
            Process p = pb.start();
            String all;
            try (InputStream in = p.getInputStream()) {
                all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!p.waitFor(30, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                out.println("  rust reference: timed out");
                return null;
            }
            Matcher m = RESULT.matcher(all);
            if (!m.find()) {
                String tail = all.strip();
                out.println("  rust reference did not run: " + tail.substring(Math.max(0, tail.length() - 400)).replace('\n', ' '));
                return null;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> r = JSON.readValue(m.group(1), Map.class);
            return r;
        } catch (IOException e) {
            out.println("  rust reference: cannot start " + java + ": " + e.getMessage());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * The reference side, run in its own JVM: Rust HF tokenizers through DJL, no special tokens added, no
     * truncation. Prints {@code reference {"mb_s_1t":…, "mb_s":…, "digest":…}}.
     */
    public static final class Reference {
        public static void main(String[] args) throws Exception {
            Path tokenizer = Path.of(args[0]);
            List<String> texts = readTexts(Path.of(args[1]));
            int repeats = Integer.parseInt(args[2]);
            long bytes = utf8Bytes(texts);
            try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.builder().optTokenizerPath(tokenizer)
                    .optAddSpecialTokens(false).optTruncation(false).optPadding(false).build()) {
                // the native calls DJL's encode() makes, minus the Java Encoding object (tokens as Java strings,
                // masks, spans…) that would otherwise dominate the time: Rust encodes, Java reads the ids
                TokenizersLibrary lib = TokenizersLibrary.LIB;
                long handle = hf.getHandle();
                String[] array = texts.toArray(String[]::new);
                for (int i = 0; i < texts.size() && i < 50; i++) lib.deleteEncoding(lib.encode(handle, texts.get(i), false));
                int[][] ids = new int[texts.size()][];
                double best1 = Double.MAX_VALUE, bestN = Double.MAX_VALUE, bestCpu1 = Double.MAX_VALUE;
                for (int r = 0; r < repeats; r++) {
                    long t0 = System.nanoTime(), c0 = threadCpuNanos();
                    for (int i = 0; i < array.length; i++) {
                        long enc = lib.encode(handle, array[i], false);
                        ids[i] = toInts(lib.getTokenIds(enc));
                        lib.deleteEncoding(enc);
                    }
                    best1 = Math.min(best1, (System.nanoTime() - t0) / 1e9);
                    bestCpu1 = Math.min(bestCpu1, (threadCpuNanos() - c0) / 1e9);
                    t0 = System.nanoTime();
                    long[] encs = lib.batchEncode(handle, array, false);
                    int[][] batchIds = new int[encs.length][];
                    for (int i = 0; i < encs.length; i++) {
                        batchIds[i] = toInts(lib.getTokenIds(encs[i]));
                        lib.deleteEncoding(encs[i]);
                    }
                    bestN = Math.min(bestN, (System.nanoTime() - t0) / 1e9);
                    if (r == 0 && !Arrays.deepEquals(batchIds, ids)) throw new IllegalStateException("batchEncode differs from encode");
                }
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("mb_s_1t", bytes / 1e6 / best1);
                r.put("mb_s", bytes / 1e6 / bestN);
                r.put("mb_per_cpu_s_1t", bytes / 1e6 / bestCpu1);
                r.put("digest", digest(ids));
                System.out.println("reference " + JSON.writeValueAsString(r));
            }
        }

        private static int[] toInts(long[] a) {
            int[] out = new int[a.length];
            for (int i = 0; i < a.length; i++) out[i] = (int) a[i];
            return out;
        }
    }

    /** CPU time of the calling thread so far (native code it runs included). */
    static long threadCpuNanos() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    /** CPU time of this process so far (all threads), to tell a slow run from a busy machine. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** SHA-256 over all ids, so the two processes can compare their output without shipping it. */
    static String digest(int[][] ids) {
        try {
            var md = java.security.MessageDigest.getInstance("SHA-256");
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(4);
            for (int[] a : ids) {
                md.update(buf.clear().putInt(-1 - a.length).array());
                for (int id : a) md.update(buf.clear().putInt(id).array());
            }
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- the corpus ------------------------------------------------------------------------------------------------

    /**
     * About {@code bytes} of text: demo-domain documents (seed {@code seed}) interleaved with synthetic documents of
     * Zipf-distributed invented words, half and half.
     */
    static List<String> corpus(Path demoDir, long bytes, long seed) {
        DemoCorpus.generate(demoDir, Math.max(100_000, bytes / 2), seed);
        List<String> demo = new ArrayList<>();
        try (Stream<Path> s = Files.walk(demoDir.resolve("docs"))) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) demo.add(Files.readString(p));
        } catch (IOException e) {
            throw new SeedlingException("cannot read the demo corpus in " + demoDir + ": " + e.getMessage());
        }
        Synthetic synth = new Synthetic(new SplittableRandom(seed * 31 + 7));
        List<String> out = new ArrayList<>();
        long n = 0;
        int i = 0;
        while (n < bytes) {
            String d = (i % 2 == 0 && i / 2 < demo.size()) ? demo.get(i / 2) : synth.document(2_000 + (int) (n % 3_000));
            out.add(d);
            n += d.getBytes(StandardCharsets.UTF_8).length;
            i++;
        }
        return out;
    }

    /** Text of invented words: a fixed 200k-word lexicon from syllables, sampled with Zipf exponent 1.07. */
    static final class Synthetic {
        private static final String[] ONSETS = {"", "b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t",
                "v", "w", "z", "br", "ch", "cl", "dr", "fl", "gr", "pl", "pr", "sh", "sk", "st", "str", "th", "tr"};
        private static final String[] VOWELS = {"a", "e", "i", "o", "u", "ai", "ea", "ee", "ie", "oo", "ou", "y"};
        private static final String[] CODAS = {"", "", "", "n", "r", "s", "t", "l", "m", "nd", "ng", "rt", "st", "x", "ck"};
        private final SplittableRandom r;
        private final String[] lexicon = new String[200_000];
        private final double[] cumulative = new double[lexicon.length];

        Synthetic(SplittableRandom r) {
            this.r = r;
            double sum = 0;
            for (int i = 0; i < lexicon.length; i++) {
                StringBuilder w = new StringBuilder();
                int syllables = 1 + Math.min(4, (int) Math.floor(Math.log(i + 2) / Math.log(12)) + r.nextInt(2));
                for (int s = 0; s < syllables; s++)
                    w.append(ONSETS[r.nextInt(ONSETS.length)]).append(VOWELS[r.nextInt(VOWELS.length)]).append(CODAS[r.nextInt(CODAS.length)]);
                lexicon[i] = w.toString();
                sum += 1.0 / Math.pow(i + 1, 1.07);
                cumulative[i] = sum;
            }
            for (int i = 0; i < cumulative.length; i++) cumulative[i] /= sum;
        }

        String document(int chars) {
            StringBuilder sb = new StringBuilder(chars + 100);
            while (sb.length() < chars) {
                int words = 5 + r.nextInt(16);
                for (int k = 0; k < words; k++) {
                    String w = word();
                    if (k == 0) w = Character.toUpperCase(w.charAt(0)) + w.substring(1);
                    sb.append(w);
                    int x = r.nextInt(40);
                    if (x == 0) sb.append(", ");
                    else if (x == 1) sb.append(' ').append(r.nextInt(10_000)).append(' ');
                    else if (k + 1 < words) sb.append(' ');
                }
                sb.append(r.nextInt(8) == 0 ? "?" : ".").append(r.nextInt(6) == 0 ? "\n\n" : " ");
            }
            return sb.toString();
        }

        private String word() {
            int i = Arrays.binarySearch(cumulative, r.nextDouble());
            return lexicon[Math.min(lexicon.length - 1, i < 0 ? -i - 1 : i)];
        }
    }

    // ---- files ------------------------------------------------------------------------------------------------------

    /** A {@code tokenizer.json} ready to load: a folder or plain file as is; a {@code .gz} file unpacked into {@code dir}. */
    static Path unpack(Path given, Path dir) {
        if (Files.isDirectory(given)) return given.resolve("tokenizer.json");
        if (!Files.isRegularFile(given)) throw new SeedlingException(given + " does not exist; give a tokenizer.json, a .json.gz or a model folder");
        if (!given.getFileName().toString().endsWith(".gz")) return given;
        try {
            Files.createDirectories(dir);
            for (String name : new String[] {"tokenizer.json", "tokenizer_config.json"}) {
                Path src = given.resolveSibling(name + ".gz");
                if (!Files.isRegularFile(src)) continue;
                try (InputStream in = new GZIPInputStream(Files.newInputStream(src))) {
                    Files.write(dir.resolve(name), in.readAllBytes());
                }
            }
            return dir.resolve("tokenizer.json");
        } catch (IOException e) {
            throw new SeedlingException("cannot unpack " + given + ": " + e.getMessage());
        }
    }

    private static void writeTexts(Path file, List<String> texts) {
        StringBuilder sb = new StringBuilder();
        try {
            for (String t : texts) sb.append(JSON.writeValueAsString(t)).append('\n');
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        AtomicFiles.writeString(file, sb.toString());
    }

    static List<String> readTexts(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) if (!line.isEmpty()) out.add(JSON.readValue(line, String.class));
        }
        return out;
    }

    static long utf8Bytes(List<String> texts) {
        long n = 0;
        for (String t : texts) n += t.getBytes(StandardCharsets.UTF_8).length;
        return n;
    }
}
