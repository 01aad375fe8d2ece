package dev.seedling.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seedling.data.Document;
import dev.seedling.data.DocumentReader;
import dev.seedling.tensor.Parallel;
import dev.seedling.tensor.SeedlingException;
import dev.seedling.tokenizer.Tokenizer;
import dev.seedling.tokenizer.Tokenizers;
import dev.seedling.tokenizer.internal.ByteLevel;
import dev.seedling.tokenizer.train.BpeTrainer;
import dev.seedling.tokenizer.train.BpeTrainerConfig;
import dev.seedling.tokenizer.train.TrainedBpe;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code seedling tokenizer train|encode|decode|inspect}: train a byte-level BPE vocabulary on a corpus, run any
 * Hugging Face {@code tokenizer.json} on stdin, and compare tokenizers by their fertility on a corpus.
 */
@Command(name = "tokenizer", mixinStandardHelpOptions = true, description = {"Train a domain tokenizer, encode/decode with any HF tokenizer.json, and",
                    "compare tokenizers on your corpus."},
        subcommands = {TokenizerCommand.Train.class, TokenizerCommand.Encode.class, TokenizerCommand.Decode.class,
                TokenizerCommand.Inspect.class},
        footer = {"", "Example:  seedling tokenizer train --data runs/demo-data/docs --out runs/tok --vocab-size 8000",
                "          seedling tokenizer inspect --tokenizer runs/tok --compare runs/first/model --corpus runs/demo-data/docs",
                "          printf 'The pump' | seedling tokenizer encode --tokenizer runs/tok --json"})
final class TokenizerCommand implements Runnable {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    // ---- train --------------------------------------------------------------------------------------------------

    @Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Learn a byte-level BPE vocabulary from a corpus and write a Hugging Face",
                    "tokenizer.json and tokenizer_config.json (with a ChatML chat_template) into",
                    "OUT; HF tokenizers and transformers load them unchanged. All 256 bytes are",
                    "tokens, so no text is ever unknown. Special tokens get the first ids",
                    "(default: <|endoftext|> as BOS and EOS, <|pad|>, <|im_start|>, <|im_end|>).",
                    "The same corpus and options always give the same files, whatever the thread",
                    "count.",
                    "",
                    "A good size: 8k-16k tokens for a corpus of a few MB, 32k for 100 MB and",
                    "more. See what it saves with `seedling tokenizer inspect --compare`."})
    static final class Train implements Runnable {
        @Option(names = "--data", required = true, paramLabel = "DATA", description = "Folder of .txt/.md files, or a docs.jsonl file.")
        Path data;
        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (created; existing tokenizer files are replaced).")
        Path out;
        @Option(names = "--vocab-size", defaultValue = "32000", paramLabel = "N", description = "Vocabulary size, special and byte tokens included (default: ${DEFAULT-VALUE}).")
        int vocabSize;
        @Option(names = "--min-frequency", defaultValue = "2", paramLabel = "N", description = "Never merge a pair seen fewer times; training may stop below the size (default: ${DEFAULT-VALUE}).")
        int minFrequency;
        @Option(names = "--pre-tokenizer", defaultValue = "llama3", paramLabel = "STYLE", description = "How text is cut into words: llama3 (numbers in groups of 1-3 digits) or gpt2 (default: ${DEFAULT-VALUE}).")
        String preTokenizer;
        @Option(names = "--individual-digits", description = "Every digit its own token (good for numbers-heavy text).")
        boolean individualDigits;
        @Option(names = "--nfc", description = "Normalise text to Unicode NFC first.")
        boolean nfc;
        @Option(names = "--special", paramLabel = "TOKEN", description = "An extra special token (repeatable), after the four defaults, e.g. --special '<|tool|>'.")
        List<String> extraSpecials = new ArrayList<>();
        @Option(names = "--add-bos", description = "The tokenizer adds BOS in front of encoded text when HF's add_special_tokens is on.")
        boolean addBos;
        @Option(names = "--max-token-length", defaultValue = "0", paramLabel = "BYTES", description = "Longest token in bytes, 0 for no limit (default: ${DEFAULT-VALUE}).")
        int maxTokenLength;
        @Option(names = "--max-mb", defaultValue = "0", paramLabel = "MB", description = "Train on at most this many MB of text, 0 for all (default: ${DEFAULT-VALUE}).")
        double maxMb;
        @Option(names = "--model-max-length", defaultValue = "2048", paramLabel = "N", description = "model_max_length in tokenizer_config.json (default: ${DEFAULT-VALUE}).")
        int modelMaxLength;

        @Override
        public void run() {
            if (maxMb < 0) throw new SeedlingException("--max-mb " + maxMb + " must be >= 0 (0: the whole corpus)");
            BpeTrainerConfig config = BpeTrainerConfig.defaults().withVocabSize(vocabSize).withMinFrequency(minFrequency)
                    .withPreTokenizer(BpeTrainerConfig.PreTokenizer.parse(preTokenizer)).withIndividualDigits(individualDigits)
                    .withNfc(nfc).withExtraSpecialTokens(extraSpecials).withAddBosToken(addBos).withMaxTokenLength(maxTokenLength)
                    .withMaxTrainingBytes((long) (maxMb * 1e6)).withModelMaxLength(modelMaxLength);
            if (Files.exists(out) && !Files.isDirectory(out)) throw new SeedlingException(out + " is a file; --out needs a folder");
            DocumentReader reader = DocumentReader.open(data);
            long total = 0;
            for (Path f : reader.files()) {
                try {
                    total += Files.size(f);
                } catch (IOException e) {
                    throw new SeedlingException("cannot read " + f + ": " + e.getMessage());
                }
            }
            if (config.maxTrainingBytes() > 0) total = Math.min(total, config.maxTrainingBytes());
            System.out.printf(Locale.ROOT, "tokenizer train: %s (%,d bytes), vocabulary %,d, %s pre-tokenizer, %d threads%n",
                    data, total, config.vocabSize(), config.preTokenizer().name().toLowerCase(Locale.ROOT), Parallel.threads());
            long totalBytes = Math.max(1, total);
            Progress[] bars = new Progress[2];
            boolean[] countDone = {false};
            TrainedBpe bpe;
            try (DocumentTexts texts = new DocumentTexts(reader)) {
                bpe = BpeTrainer.train(texts, config, new BpeTrainer.Listener() {
                    @Override
                    public void counted(long documents, long bytes) {
                        if (bars[0] == null) bars[0] = new Progress(System.out, "count", totalBytes);
                        bars[0].update(Math.min(bytes, totalBytes), 0, String.format(Locale.ROOT, "%,d docs, %.1f MB", documents, bytes / 1e6));
                    }

                    @Override
                    public void merged(int tokens, int target) {
                        if (bars[0] != null && !countDone[0]) bars[0].update(totalBytes, 0, "done");
                        countDone[0] = true;
                        if (bars[1] == null) bars[1] = new Progress(System.out, "merge", target);
                        bars[1].update(tokens, 0, String.format(Locale.ROOT, "%,d tokens", tokens));
                    }
                });
            }
            if (bpe.stats().documents() == 0) {
                throw new SeedlingException(data + " has no usable text (no non-blank documents); nothing to train on");
            }
            if (bars[1] != null && bpe.vocabSize() < config.vocabSize())
                bars[1].update(config.vocabSize(), 0, String.format(Locale.ROOT, "%,d tokens, no more pairs", bpe.vocabSize()));
            bpe.save(out);
            TrainedBpe.Stats s = bpe.stats();
            System.out.printf(Locale.ROOT, "trained on %,d documents (%,d bytes, %,d words, %,d distinct) in %.1f s (count %.1f s, merges %.1f s)%n",
                    s.documents(), s.bytes(), s.words(), s.distinctWords(), s.countSeconds() + s.mergeSeconds(), s.countSeconds(), s.mergeSeconds());
            if (bpe.vocabSize() < config.vocabSize()) {
                System.out.printf(Locale.ROOT, "note: the vocabulary stopped at %,d tokens: no pair is seen %d+ times any more; more text or a smaller --vocab-size%n",
                        bpe.vocabSize(), config.minFrequency());
            }
            System.out.printf(Locale.ROOT, "tokenizer: %s (%,d tokens, %,d merges)%n", out, bpe.vocabSize(), bpe.merges().size());
        }
    }

    /**
     * The texts of a corpus as an iterator, read on a background thread (the reader pushes documents, the trainer
     * pulls them). A read error is rethrown by {@link #hasNext}; {@link #close} stops the reader early.
     */
    static final class DocumentTexts implements Iterator<String>, AutoCloseable {
        private static final String END = new String("end of corpus");
        private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(64);
        private final Thread thread;
        private volatile boolean closed;
        private volatile RuntimeException failure;
        private String next;

        DocumentTexts(DocumentReader reader) {
            thread = new Thread(() -> {
                try {
                    reader.forEach((Document d) -> put(d.text()));
                } catch (RuntimeException e) {
                    if (!closed) failure = e;
                } finally {
                    if (!closed) put(END);
                }
            }, "seedling-corpus-reader");
            thread.setDaemon(true);
            thread.start();
        }

        private void put(String s) {
            try {
                while (!queue.offer(s, 100, TimeUnit.MILLISECONDS)) {
                    if (closed) throw new CancellationException();
                }
            } catch (InterruptedException e) {
                throw new CancellationException();
            }
        }

        /** Thrown inside the reader thread to stop it. */
        private static final class CancellationException extends RuntimeException {
            CancellationException() {
                super(null, null, false, false);
            }
        }

        @Override
        public boolean hasNext() {
            if (next == null) {
                try {
                    next = queue.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SeedlingException("interrupted while reading the corpus");
                }
            }
            if (next == END) {
                if (failure != null) throw failure;
                return false;
            }
            return true;
        }

        @Override
        public String next() {
            if (!hasNext()) throw new NoSuchElementException();
            String s = next;
            next = null;
            return s;
        }

        @Override
        public void close() {
            closed = true;
            thread.interrupt();
        }
    }

    // ---- encode / decode ----------------------------------------------------------------------------------------

    @Command(name = "encode", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Encode the text on stdin with a tokenizer and print the ids, space-separated",
                    "(or one JSON array with --json). The text is taken exactly as read, trailing",
                    "newline included (echo adds one; printf does not). No BOS/EOS is added; the",
                    "text of a special token (e.g. <|im_end|>) becomes that token's id."})
    static final class Encode implements Runnable {
        @Option(names = "--tokenizer", required = true, paramLabel = "PATH", description = "A tokenizer.json, or a model/tokenizer folder holding one.")
        Path tokenizer;
        @Option(names = "--json", description = "Print the ids as one JSON array.")
        boolean json;

        @Override
        public void run() {
            Tokenizer tok = Tokenizers.load(tokenizer);
            int[] ids = tok.encode(new String(readStdin(), StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder(ids.length * 6 + 2);
            if (json) sb.append('[');
            for (int i = 0; i < ids.length; i++) {
                if (i > 0) sb.append(json ? "," : " ");
                sb.append(ids[i]);
            }
            if (json) sb.append(']');
            System.out.println(sb);
        }
    }

    @Command(name = "decode", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Decode the token ids on stdin (separated by whitespace or commas, or one",
                    "JSON array) and print the text exactly, with no newline added; `encode |",
                    "decode` gives the input back. Special tokens print as their text."})
    static final class Decode implements Runnable {
        @Option(names = "--tokenizer", required = true, paramLabel = "PATH", description = "A tokenizer.json, or a model/tokenizer folder holding one.")
        Path tokenizer;

        @Override
        public void run() {
            Tokenizer tok = Tokenizers.load(tokenizer);
            int[] ids = parseIds(new String(readStdin(), StandardCharsets.UTF_8), tok.vocabSize());
            System.out.print(tok.decode(ids));
            System.out.flush();
        }
    }

    /** Ids from whitespace/comma-separated text or a JSON array; anything else is a one-line error. */
    static int[] parseIds(String text, int vocabSize) {
        String s = text.strip();
        if (s.startsWith("[")) {
            if (!s.endsWith("]")) throw new SeedlingException("stdin starts a JSON array but does not end it with ]; give ids like [1,2,3] or 1 2 3");
            s = s.substring(1, s.length() - 1);
        }
        List<Integer> ids = new ArrayList<>();
        int index = 0;
        for (String part : s.split("[\\s,]+")) {
            if (part.isEmpty()) continue;
            int id;
            try {
                id = Integer.parseInt(part);
            } catch (NumberFormatException e) {
                throw new SeedlingException("stdin item " + index + " '" + abbreviate(part) + "' is not a token id; give integers like 1 2 3 or [1,2,3]");
            }
            if (id < 0 || id >= vocabSize) {
                throw new SeedlingException("token id " + id + " (item " + index + ") is outside the vocabulary [0, " + vocabSize
                        + "); were the ids made with another tokenizer?");
            }
            ids.add(id);
            index++;
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    private static String abbreviate(String s) {
        return s.length() <= 20 ? s : s.substring(0, 20) + "…";
    }

    private static byte[] readStdin() {
        try {
            InputStream in = System.in;
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            in.transferTo(buf);
            return buf.toByteArray();
        } catch (IOException e) {
            throw new SeedlingException("cannot read stdin: " + e.getMessage());
        }
    }

    // ---- inspect ------------------------------------------------------------------------------------------------

    @Command(name = "inspect", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Vocabulary statistics of a tokenizer (size, special tokens, mean token",
                    "length in bytes, share of single-byte tokens and of learned merges), and",
                    "with --corpus its FERTILITY on your text: tokens per word, tokens per byte",
                    "and bytes per token. With --compare, both tokenizers side by side and how",
                    "many fewer tokens the first needs: fewer tokens = more text per context",
                    "window and faster training and generation on the same text."})
    static final class Inspect implements Runnable {
        @Option(names = "--tokenizer", required = true, paramLabel = "PATH", description = "A tokenizer.json, or a model/tokenizer folder holding one.")
        Path tokenizer;
        @Option(names = "--compare", paramLabel = "PATH", description = "A second tokenizer (e.g. a general model's) to compare with.")
        Path compare;
        @Option(names = "--corpus", paramLabel = "DATA", description = "Folder of .txt/.md files or a docs.jsonl to measure fertility on.")
        Path corpus;
        @Option(names = "--max-mb", defaultValue = "50", paramLabel = "MB", description = "Read at most this many MB of the corpus (default: ${DEFAULT-VALUE}).")
        double maxMb;

        @Override
        public void run() {
            List<Path> paths = new ArrayList<>(List.of(tokenizer));
            if (compare != null) paths.add(compare);
            List<Tokenizer> toks = new ArrayList<>();
            List<VocabStats> stats = new ArrayList<>();
            for (Path p : paths) {
                toks.add(Tokenizers.load(p));
                stats.add(VocabStats.of(p));
            }
            Fertility[] fert = null;
            long[] corpusTotals = null;
            if (corpus != null) {
                List<String> docs = readCorpus(corpus, (long) (maxMb * 1e6));
                corpusTotals = new long[] {docs.size(), 0, 0};
                for (String d : docs) {
                    corpusTotals[1] += countWords(d);
                    corpusTotals[2] += d.getBytes(StandardCharsets.UTF_8).length;
                }
                fert = new Fertility[toks.size()];
                for (int t = 0; t < toks.size(); t++) fert[t] = Fertility.measure(toks.get(t), docs, corpusTotals[1], corpusTotals[2]);
            }
            print(System.out, paths, stats, fert, corpus, corpusTotals);
        }

        private static void print(PrintStream out, List<Path> paths, List<VocabStats> stats, Fertility[] fert, Path corpus, long[] totals) {
            int cols = paths.size();
            String[] names = new String[cols];
            for (int i = 0; i < cols; i++) names[i] = paths.get(i).toString();
            Table t = new Table(names);
            t.row("vocabulary size", i -> String.format(Locale.ROOT, "%,d", stats.get(i).size));
            t.row("special tokens", i -> String.format(Locale.ROOT, "%,d", stats.get(i).specials));
            t.row("model", i -> stats.get(i).model);
            t.row("mean token length (bytes)", i -> String.format(Locale.ROOT, "%.2f", stats.get(i).meanBytes));
            t.row("longest token (bytes)", i -> String.format(Locale.ROOT, "%d", stats.get(i).maxBytes));
            t.row("single-byte tokens", i -> String.format(Locale.ROOT, "%,d (%.1f%%)", stats.get(i).byteTokens, 100.0 * stats.get(i).byteTokens / stats.get(i).size));
            t.row("multi-byte tokens", i -> {
                VocabStats v = stats.get(i);
                int multi = v.size - v.specials - v.byteTokens;
                return String.format(Locale.ROOT, "%,d (%.1f%%)", multi, 100.0 * multi / v.size);
            });
            t.row("merge rules", i -> String.format(Locale.ROOT, "%,d", stats.get(i).merges));
            for (int i = 0; i < cols; i++) {
                List<String> sp = stats.get(i).specialList;
                if (sp.isEmpty()) continue;
                String shown = String.join(" ", sp.subList(0, Math.min(8, sp.size())));
                out.println("special tokens of " + names[i] + ": " + shown + (sp.size() > 8 ? " … (" + (sp.size() - 8) + " more)" : ""));
            }
            if (fert != null) {
                t.rule(String.format(Locale.ROOT, "fertility on %s: %,d documents, %,d words, %,d bytes", corpus, totals[0], totals[1], totals[2]));
                Fertility[] f = fert;
                t.row("tokens", i -> String.format(Locale.ROOT, "%,d", f[i].tokens));
                t.row("tokens per word", i -> String.format(Locale.ROOT, "%.3f", f[i].perWord()));
                t.row("tokens per byte", i -> String.format(Locale.ROOT, "%.4f", f[i].perByte()));
                t.row("bytes per token", i -> String.format(Locale.ROOT, "%.3f", f[i].bytesPerToken()));
                t.row("encode speed (MB/s)", i -> String.format(Locale.ROOT, "%.1f", f[i].mbPerSecond()));
            }
            t.print(out);
            if (fert != null && fert.length == 2 && fert[1].tokens > 0) {
                double saving = 1.0 - (double) fert[0].tokens / fert[1].tokens;
                out.printf(Locale.ROOT, "%s needs %.1f%% %s tokens than %s on this corpus: %.2fx the text per context window%n",
                        names[0], 100 * Math.abs(saving), saving >= 0 ? "fewer" : "more", names[1],
                        (double) fert[1].tokens / Math.max(1, fert[0].tokens));
            }
        }
    }

    /** Words as runs of non-whitespace characters. */
    static long countWords(String s) {
        long n = 0;
        boolean in = false;
        for (int i = 0; i < s.length(); i++) {
            boolean ws = Character.isWhitespace(s.charAt(i)) || Character.isSpaceChar(s.charAt(i));
            if (!ws && !in) n++;
            in = !ws;
        }
        return n;
    }

    private static List<String> readCorpus(Path corpus, long maxBytes) {
        List<String> docs = new ArrayList<>();
        long[] bytes = {0};
        DocumentReader reader = DocumentReader.open(corpus);
        try (DocumentTexts texts = new DocumentTexts(reader)) {
            while (texts.hasNext() && bytes[0] < maxBytes) {
                String t = texts.next();
                docs.add(t);
                bytes[0] += t.length();
            }
        }
        if (docs.isEmpty()) throw new SeedlingException(corpus + " has no usable text (no non-blank documents) to measure fertility on");
        return docs;
    }

    /** Tokens of one tokenizer over a corpus. */
    record Fertility(long tokens, long words, long bytes, double seconds) {
        static Fertility measure(Tokenizer tok, List<String> docs, long words, long bytes) {
            long[] perWorker = new long[Parallel.threads()];
            long t0 = System.nanoTime();
            Parallel.forEach(docs.size(), (worker, task) -> perWorker[worker] += tok.encode(docs.get(task)).length);
            double s = (System.nanoTime() - t0) / 1e9;
            long n = 0;
            for (long v : perWorker) n += v;
            return new Fertility(n, words, bytes, s);
        }

        double perWord() {
            return words == 0 ? Double.NaN : (double) tokens / words;
        }

        double perByte() {
            return bytes == 0 ? Double.NaN : (double) tokens / bytes;
        }

        double bytesPerToken() {
            return tokens == 0 ? Double.NaN : (double) bytes / tokens;
        }

        double mbPerSecond() {
            return seconds <= 0 ? Double.NaN : bytes / 1e6 / seconds;
        }
    }

    /** What the vocabulary of a {@code tokenizer.json} holds, read from the file itself. */
    record VocabStats(int size, int specials, List<String> specialList, String model, double meanBytes, int maxBytes,
                      int byteTokens, int merges) {
        static VocabStats of(Path path) {
            Path file = Files.isDirectory(path) ? path.resolve("tokenizer.json") : path;
            JsonNode root;
            try {
                root = JSON.readTree(file.toFile());
            } catch (IOException e) {
                throw new SeedlingException("cannot read " + file + ": " + e.getMessage());
            }
            JsonNode model = root.path("model");
            JsonNode vocab = model.path("vocab");
            boolean byteLevel = root.toString().contains("\"ByteLevel\"");
            java.util.Set<Integer> ids = new java.util.HashSet<>();
            List<String> specials = new ArrayList<>();
            for (JsonNode a : root.path("added_tokens")) {
                ids.add(a.path("id").asInt());
                if (a.path("special").asBoolean(false)) specials.add(a.path("content").asText());
            }
            long totalBytes = 0;
            int counted = 0, max = 0, single = 0;
            for (Map.Entry<String, JsonNode> e : vocab.properties()) {
                int id = e.getValue().asInt();
                ids.add(id);
                if (specials.contains(e.getKey())) continue;
                int b = tokenBytes(e.getKey(), byteLevel);
                totalBytes += b;
                counted++;
                max = Math.max(max, b);
                if (b == 1) single++;
            }
            int size = ids.stream().mapToInt(i -> i + 1).max().orElse(0);
            return new VocabStats(size, specials.size(), specials, model.path("type").asText("?") + (byteLevel ? " (byte-level)" : ""),
                    counted == 0 ? 0 : (double) totalBytes / counted, max, single, model.path("merges").size());
        }

        /** Bytes a vocabulary entry stands for: byte-level characters, SentencePiece {@code ▁} and {@code <0xNN>}. */
        static int tokenBytes(String token, boolean byteLevel) {
            if (byteLevel) {
                boolean all = true;
                for (int i = 0; i < token.length() && all; i++) all = ByteLevel.byteOf(token.charAt(i)) >= 0;
                if (all) return token.length();
            }
            if (token.length() == 6 && token.startsWith("<0x") && token.endsWith(">")) return 1;
            return token.replace('\u2581', ' ').getBytes(StandardCharsets.UTF_8).length;
        }
    }

    /** A plain text table: a label column and one column per tokenizer. */
    static final class Table {
        private final String[] header;
        private final List<String[]> rows = new ArrayList<>();

        Table(String[] names) {
            header = new String[names.length + 1];
            header[0] = "";
            System.arraycopy(names, 0, header, 1, names.length);
        }

        void row(String label, java.util.function.IntFunction<String> cell) {
            String[] r = new String[header.length];
            r[0] = label;
            for (int i = 1; i < r.length; i++) r[i] = cell.apply(i - 1);
            rows.add(r);
        }

        void rule(String title) {
            rows.add(new String[] {"\u0000" + title});
        }

        void print(PrintStream out) {
            int[] w = new int[header.length];
            for (String[] r : rows) if (r.length == header.length) for (int i = 0; i < r.length; i++) w[i] = Math.max(w[i], r[i].length());
            for (int i = 0; i < header.length; i++) w[i] = Math.max(w[i], header[i].length());
            out.println(line(header, w));
            for (String[] r : rows) {
                if (r.length == 1) out.println(r[0].substring(1));
                else out.println(line(r, w));
            }
        }

        private static String line(String[] r, int[] w) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                if (i == 0) sb.append(String.format("%-" + w[0] + "s", r[0]));
                else sb.append("  ").append(String.format("%" + w[i] + "s", r[i]));
            }
            return sb.toString().stripTrailing();
        }
    }
}
