package dev.seedling.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seedling.model.infer.InferenceModel;
import dev.seedling.model.infer.Scorer;
import dev.seedling.tensor.SeedlingException;
import dev.seedling.tensor.quant.WeightFormat;
import dev.seedling.tokenizer.Tokenizer;
import dev.seedling.tokenizer.Tokenizers;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code seedling score}: log-likelihood of continuations given contexts (the primitive of multiple-choice evaluation
 * and DPO), or the perplexity of a text file, with a model directory in any weight format.
 */
@Command(name = "score", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Score text with a model directory.",
                "--items FILE.jsonl: one {\"context\": …, \"continuation\": …} per line; prints one JSON line per item with",
                "  logprob (sum over the continuation's tokens), tokens, mean logprob and greedy (true when greedy decoding",
                "  would have produced the continuation). The context is encoded with the model's BOS in front, when it has one.",
                "--text FILE: perplexity of the file, scored in windows of the model's context length; prints one JSON line."},
        footer = {"", "Examples:", "  seedling score --model runs/demo/model --items questions.jsonl",
                "  seedling score --model runs/demo/model --text held-out.txt --weights q8_0"})
final class ScoreCommand implements Runnable {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory.")
    Path model;
    @ArgGroup(multiplicity = "1")
    Input input;
    @Option(names = "--weights", defaultValue = "f32", paramLabel = "FORMAT", description = "Weight format in memory: f32, q8_0 or q4_0 (default: ${DEFAULT-VALUE}).")
    String weights;
    @Option(names = "--window", paramLabel = "N", description = "Tokens per window for --text (default: the model's context length).")
    Integer window;
    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: all cores).")
    Integer threads;

    static final class Input {
        @Option(names = "--items", paramLabel = "FILE", description = "JSONL of {\"context\", \"continuation\"} items.")
        Path items;
        @Option(names = "--text", paramLabel = "FILE", description = "A UTF-8 text file whose perplexity to compute.")
        Path text;
    }

    @Override
    public void run() {
        if (!Files.isDirectory(model)) throw new SeedlingException("model directory " + model + " does not exist");
        Tokenizer tok = Tokenizers.load(model);
        InferenceModel m = InferenceModel.load(model, WeightFormat.parse(weights)::convert);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        if (input.items != null) scoreItems(m, tok, out);
        else perplexity(m, tok, out);
    }

    private int[] start(Tokenizer tok) {
        return tok.bosId() >= 0 ? new int[] {tok.bosId()} : new int[] {tok.eosId()};
    }

    private void scoreItems(InferenceModel m, Tokenizer tok, PrintStream out) {
        List<String> lines = read(input.items).lines().toList();
        List<Scorer.Item> items = new ArrayList<>();
        List<Integer> lineNos = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            JsonNode n;
            try {
                n = JSON.readTree(lines.get(i));
            } catch (IOException e) {
                throw new SeedlingException(input.items + " line " + (i + 1) + ": not valid JSON");
            }
            if (!n.path("context").isTextual() || !n.path("continuation").isTextual())
                throw new SeedlingException(input.items + " line " + (i + 1) + ": needs string fields \"context\" and \"continuation\"");
            int[] ctx = concat(start(tok), tok.encode(n.get("context").asText()));
            int[] cont = tok.encode(n.get("continuation").asText());
            if (cont.length == 0) throw new SeedlingException(input.items + " line " + (i + 1) + ": the continuation is empty");
            items.add(new Scorer.Item(ctx, cont));
            lineNos.add(i + 1);
        }
        List<Scorer.Score> scores = Scorer.logLikelihood(m, items);
        for (int i = 0; i < scores.size(); i++) {
            Scorer.Score s = scores.get(i);
            ObjectNode o = JSON.createObjectNode();
            o.put("line", lineNos.get(i));
            o.put("logprob", s.logLikelihood());
            o.put("tokens", s.tokenLogprobs().length);
            o.put("mean_logprob", s.logLikelihood() / s.tokenLogprobs().length);
            o.put("greedy", s.greedy());
            out.println(o);
        }
    }

    private void perplexity(InferenceModel m, Tokenizer tok, PrintStream out) {
        int[] ids = tok.encode(read(input.text));
        int w = window == null ? m.contextLength() : window;
        if (w < 2 || w > m.contextLength()) throw new SeedlingException("--window must be in [2, " + m.contextLength() + "]");
        if (ids.length == 0) throw new SeedlingException(input.text + " holds no text");
        List<Scorer.Item> items = new ArrayList<>();
        // each window is scored after the start token; windows do not overlap, so every token is scored once
        for (int from = 0; from < ids.length; from += w - 1)
            items.add(new Scorer.Item(start(tok), java.util.Arrays.copyOfRange(ids, from, Math.min(ids.length, from + w - 1))));
        double sum = 0;
        long n = 0;
        for (Scorer.Score s : Scorer.logLikelihood(m, items)) {
            sum += s.logLikelihood();
            n += s.tokenLogprobs().length;
        }
        ObjectNode o = JSON.createObjectNode();
        o.put("tokens", n);
        o.put("windows", items.size());
        o.put("nll_per_token", -sum / n);
        o.put("perplexity", Math.exp(-sum / n));
        o.put("bits_per_byte", -sum / Math.log(2) / read(input.text).getBytes(StandardCharsets.UTF_8).length);
        o.put("weights", m.weightFormat());
        out.println(o);
    }

    private static int[] concat(int[] a, int[] b) {
        int[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new SeedlingException(p + " is not valid UTF-8 text");
        } catch (IOException e) {
            throw new SeedlingException("cannot read " + p + ": " + e.getMessage());
        }
    }
}
