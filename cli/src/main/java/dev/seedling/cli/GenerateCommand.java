package dev.seedling.cli;

import dev.seedling.model.Generator;
import dev.seedling.model.LlamaModel;
import dev.seedling.tensor.SeedlingException;
import dev.seedling.tokenizer.Tokenizer;
import dev.seedling.tokenizer.Tokenizers;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code seedling generate}: continue a prompt with a trained model, streaming the text as it is produced. */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Continue a prompt with a model directory (e.g. runs/NAME/model from `seedling pretrain`).",
                "Temperature 0 is greedy decoding; otherwise sampling from the top-k tokens, reproducible with --seed."},
        footer = {"", "Example:", "  seedling generate --model runs/tiny/model --prompt \"The pump\" --max-tokens 200 --temperature 0.8"})
final class GenerateCommand implements Runnable {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory (config.json, model.safetensors, tokenizer.json).")
    Path model;
    @Option(names = "--prompt", defaultValue = "", paramLabel = "TEXT", description = "Text to continue (default: start from BOS alone).")
    String prompt;
    @Option(names = "--max-tokens", defaultValue = "200", paramLabel = "N", description = "Tokens to generate (default: ${DEFAULT-VALUE}).")
    int maxTokens;
    @Option(names = "--temperature", defaultValue = "0.8", paramLabel = "T", description = "Sampling temperature; 0 = greedy (default: ${DEFAULT-VALUE}).")
    float temperature;
    @Option(names = "--top-k", defaultValue = "40", paramLabel = "K", description = "Sample among the K most likely tokens; 0 = all (default: ${DEFAULT-VALUE}).")
    int topK;
    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: all cores).")
    Integer threads;

    @Override
    public void run() {
        if (maxTokens < 0) throw new SeedlingException("--max-tokens must be >= 0");
        LlamaModel m = LlamaModel.load(model, false);
        Tokenizer tok = Tokenizers.load(model);
        int[] body = tok.encode(prompt);
        int bos = tok.bosId();
        int[] ids;
        if (bos >= 0) {
            ids = new int[body.length + 1];
            ids[0] = bos;
            System.arraycopy(body, 0, ids, 1, body.length);
        } else {
            ids = body;
        }
        if (ids.length == 0) throw new SeedlingException("the prompt is empty and the tokenizer has no BOS token; give --prompt");
        int[] stops = tok.eosId() >= 0 ? new int[] {tok.eosId()} : new int[0];
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        out.print(prompt);
        StreamingDecoder dec = new StreamingDecoder(tok, out);
        long t0 = System.nanoTime();
        int[] gen = Generator.generate(m, ids, new Generator.Settings(maxTokens, temperature, topK, seed, stops, tok.vocabSize()), t -> {
            dec.accept(t);
            return true;
        });
        dec.flush();
        out.println();
        double secs = (System.nanoTime() - t0) / 1e9;
        System.err.printf(Locale.ROOT, "[%d tokens in %.1f s, %.1f tokens/s]%n", gen.length, secs, gen.length / secs);
    }

    /** Prints decoded text as tokens arrive, holding back bytes of an incomplete UTF-8 character. */
    static final class StreamingDecoder {
        private final Tokenizer tok;
        private final PrintStream out;
        private int[] ids = new int[64];
        private int n;
        private int printedChars;

        StreamingDecoder(Tokenizer tok, PrintStream out) {
            this.tok = tok;
            this.out = out;
        }

        void accept(int id) {
            if (n == ids.length) ids = Arrays.copyOf(ids, n * 2);
            ids[n++] = id;
            String text = tok.decode(ids, 0, n);
            // hold back a trailing replacement char: it may be an incomplete multi-byte character
            int end = text.length();
            if (end > 0 && text.charAt(end - 1) == '\uFFFD') end--;
            if (end > printedChars) {
                out.print(text.substring(printedChars, end));
                printedChars = end;
            }
        }

        void flush() {
            String text = tok.decode(ids, 0, n);
            if (text.length() > printedChars) out.print(text.substring(printedChars));
            printedChars = text.length();
        }
    }
}
