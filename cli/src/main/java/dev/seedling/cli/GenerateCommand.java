package dev.seedling.cli;

import dev.seedling.model.Generator;
import dev.seedling.model.SamplingParams;
import dev.seedling.model.infer.InferenceModel;
import dev.seedling.tensor.SeedlingException;
import dev.seedling.tokenizer.Tokenizer;
import dev.seedling.tokenizer.Tokenizers;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code seedling generate}: continue a prompt with a trained model, streaming the text as it is produced. */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Continue a prompt with a model directory (e.g. runs/NAME/model from `seedling pretrain`).",
                "Temperature 0 is greedy decoding; otherwise sampling (top-k, top-p, min-p, penalties), reproducible with --seed.",
                "Runs with a KV cache: the prompt is processed in one pass, then one token per step."},
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
    @Option(names = "--top-p", defaultValue = "1", paramLabel = "P", description = "Nucleus sampling: the most likely tokens holding mass P; 1 = off (default: ${DEFAULT-VALUE}).")
    float topP;
    @Option(names = "--min-p", defaultValue = "0", paramLabel = "P", description = "Drop tokens below P times the most likely one; 0 = off (default: ${DEFAULT-VALUE}).")
    float minP;
    @Option(names = "--repetition-penalty", defaultValue = "1", paramLabel = "R", description = "HF repetition penalty on tokens already seen; 1 = off (default: ${DEFAULT-VALUE}).")
    float repetitionPenalty;
    @Option(names = "--frequency-penalty", defaultValue = "0", paramLabel = "F", description = "OpenAI frequency penalty in [-2, 2] (default: ${DEFAULT-VALUE}).")
    float frequencyPenalty;
    @Option(names = "--presence-penalty", defaultValue = "0", paramLabel = "F", description = "OpenAI presence penalty in [-2, 2] (default: ${DEFAULT-VALUE}).")
    float presencePenalty;
    @Option(names = "--stop", paramLabel = "TEXT", description = "Stop when the output contains TEXT (repeatable); the text is cut before it.")
    List<String> stop;
    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--logprobs", defaultValue = "-1", paramLabel = "N", description = "After the text, print each token's log-prob and N alternatives (0-20; default: off).")
    int logprobs;
    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: all cores).")
    Integer threads;

    @Override
    public void run() {
        if (maxTokens < 0) throw new SeedlingException("--max-tokens must be >= 0");
        InferenceModel m = InferenceModel.load(model);
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
        SamplingParams params = SamplingParams.defaults().withMaxTokens(maxTokens).withTemperature(temperature).withTopK(topK)
                .withTopP(topP).withMinP(minP).withRepetitionPenalty(repetitionPenalty).withFrequencyPenalty(frequencyPenalty)
                .withPresencePenalty(presencePenalty).withStopTokenIds(stops).withStopStrings(stop == null ? List.of() : stop)
                .withSeed(seed).withLogprobs(logprobs).withTokenLimit(tok.vocabSize());
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        out.print(prompt);
        long t0 = System.nanoTime();
        Generator.Completion c = stream(m, ids, params, tok, out);
        double secs = (System.nanoTime() - t0) / 1e9;
        if (logprobs >= 0) {
            for (Generator.TokenLogprob lp : c.logprobs()) {
                StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-16s %9.4f", quote(tok.tokenText(lp.token())), lp.logprob()));
                for (int i = 0; i < lp.topIds().length; i++)
                    b.append(String.format(Locale.ROOT, "  %s %.4f", quote(tok.tokenText(lp.topIds()[i])), lp.topLogprobs()[i]));
                out.println(b);
            }
        }
        System.err.printf(Locale.ROOT, "[%d tokens in %.1f s, %.1f tokens/s, finish: %s]%n", c.tokens().length, secs,
                c.tokens().length / secs, c.finishReason().name().toLowerCase(Locale.ROOT));
    }

    /** Generates one completion of {@code ids}, printing its text to {@code out} as it becomes certain, then a newline. */
    static Generator.Completion stream(InferenceModel m, int[] ids, SamplingParams params, Tokenizer tok, PrintStream out) {
        Generator.Completion c = Generator.generate(m, List.of(new Generator.Request(ids, params)), tok, (r, t, delta) -> {
            if (delta != null) out.print(delta);
            return true;
        }).getFirst();
        out.println();
        return c;
    }

    private static String quote(String s) {
        return "'" + s.replace("\n", "\\n") + "'";
    }
}
