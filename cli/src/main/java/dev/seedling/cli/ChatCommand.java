package dev.seedling.cli;

import dev.seedling.model.Generator;
import dev.seedling.model.SamplingParams;
import dev.seedling.model.infer.InferenceModel;
import dev.seedling.tensor.SeedlingException;
import dev.seedling.tensor.quant.WeightFormat;
import dev.seedling.tokenizer.Tokenizer;
import dev.seedling.tokenizer.Tokenizers;
import dev.seedling.tokenizer.chat.ChatFormat;
import dev.seedling.tokenizer.chat.ChatMessage;
import dev.seedling.tokenizer.chat.RenderOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code seedling chat}: an interactive terminal chat with a model directory, through the model's own chat template
 * and stop tokens ({@link ChatFormat}, the same contract training and export use), streaming each reply.
 */
@Command(name = "chat", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Chat with a model directory in the terminal. Each line you type is a user message; the reply streams",
                "as it is generated. The conversation is rendered with the model's chat template (chat_template.jinja,",
                "or chat_template in tokenizer_config.json; Seedling's own ChatML default when the tokenizer has",
                "<|im_start|>/<|im_end|>), and a reply ends at the model's stop tokens (generation_config.json eos_token_id).",
                "Commands: /reset (forget the conversation), /system TEXT (set the system message), /exit (or end of input).",
                "Input may be piped: one message per line."},
        footer = {"", "Examples:", "  seedling chat --model ~/models/SmolLM2-135M-Instruct",
                "  echo \"What does fault E-4411 mean?\" | seedling chat --model runs/sft/model --temperature 0"})
final class ChatCommand implements Runnable {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory (config.json, safetensors, tokenizer files).")
    Path model;
    @Option(names = "--system", paramLabel = "TEXT", description = "System message at the start of the conversation.")
    String system;
    @Option(names = "--weights", defaultValue = "f32", paramLabel = "FORMAT", description = "Weight format in memory: f32, q8_0 or q4_0 (default: ${DEFAULT-VALUE}).")
    String weights;
    @Option(names = "--max-tokens", defaultValue = "512", paramLabel = "N", description = "Longest reply in tokens (default: ${DEFAULT-VALUE}).")
    int maxTokens;
    @Option(names = "--temperature", defaultValue = "0.7", paramLabel = "T", description = "Sampling temperature; 0 = greedy (default: ${DEFAULT-VALUE}).")
    float temperature;
    @Option(names = "--top-p", defaultValue = "0.9", paramLabel = "P", description = "Nucleus sampling mass; 1 = off (default: ${DEFAULT-VALUE}).")
    float topP;
    @Option(names = "--top-k", defaultValue = "0", paramLabel = "K", description = "Sample among the K most likely tokens; 0 = all (default: ${DEFAULT-VALUE}).")
    int topK;
    @Option(names = "--repetition-penalty", defaultValue = "1", paramLabel = "R", description = "HF repetition penalty; 1 = off (default: ${DEFAULT-VALUE}).")
    float repetitionPenalty;
    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--show-prompt", description = "Print the rendered prompt before each reply (to check the template).")
    boolean showPrompt;
    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: all cores).")
    Integer threads;

    @Override
    public void run() {
        if (maxTokens <= 0) throw new SeedlingException("--max-tokens must be > 0");
        if (!Files.isDirectory(model)) throw new SeedlingException("model directory " + model + " does not exist");
        Tokenizer tok = Tokenizers.load(model);
        ChatFormat format = formatOf(model, tok);
        InferenceModel m = InferenceModel.load(model, WeightFormat.parse(weights)::convert);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        boolean interactive = System.console() != null;
        List<ChatMessage> conversation = new ArrayList<>();
        if (system != null) conversation.add(ChatMessage.system(system));
        if (interactive)
            out.printf(Locale.ROOT, "chatting with %s (%s weights, stops: %s); /exit to quit, /reset to start over%n",
                    model, m.weightFormat(), String.join(" ", format.stopTokens()));
        int turn = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            while (true) {
                if (interactive) out.print("\n> ");
                String line = in.readLine();
                if (line == null || line.strip().equals("/exit")) break;
                if (line.isBlank()) continue;
                if (line.strip().equals("/reset")) {
                    conversation.clear();
                    if (system != null) conversation.add(ChatMessage.system(system));
                    out.println("(conversation cleared)");
                    continue;
                }
                if (line.startsWith("/system ")) {
                    system = line.substring("/system ".length());
                    conversation.removeIf(c -> c.role().equals("system"));
                    conversation.addFirst(ChatMessage.system(system));
                    out.println("(system message set)");
                    continue;
                }
                conversation.add(ChatMessage.user(line));
                String reply = reply(m, tok, format, conversation, out, turn++);
                conversation.add(ChatMessage.assistant(reply));
            }
        } catch (IOException e) {
            throw new SeedlingException("cannot read the terminal: " + e.getMessage());
        }
    }

    /** Generates and streams one reply to the conversation; returns its text (without the stop token). */
    private String reply(InferenceModel m, Tokenizer tok, ChatFormat format, List<ChatMessage> conversation, PrintStream out, int turn) {
        String prompt = format.render(conversation, RenderOptions.generation());
        if (showPrompt) out.print("[prompt]" + prompt + "[/prompt]\n");
        int[] ids = tok.encode(prompt);
        if (ids.length >= m.contextLength())
            throw new SeedlingException("the conversation (" + ids.length + " tokens) no longer fits the model's context of "
                    + m.contextLength() + " tokens; /reset to start over");
        int[] stops = format.stopIds().stream().mapToInt(Integer::intValue).toArray();
        SamplingParams params = SamplingParams.defaults().withMaxTokens(Math.min(maxTokens, m.contextLength() - ids.length))
                .withTemperature(temperature).withTopK(topK).withTopP(topP).withRepetitionPenalty(repetitionPenalty)
                .withStopTokenIds(stops).withSeed(seed + turn).withTokenLimit(tok.vocabSize());
        long t0 = System.nanoTime();
        Generator.Completion c = GenerateCommand.stream(m, ids, params, tok, out);
        double secs = (System.nanoTime() - t0) / 1e9;
        if (System.console() != null)
            System.err.printf(Locale.ROOT, "[%d tokens, %.1f tokens/s, %s]%n", c.tokens().length, c.tokens().length / secs,
                    c.finishReason().name().toLowerCase(Locale.ROOT));
        return c.text();
    }

    /** The model directory's chat format; Seedling's default when the directory has no template but the tokenizer has ChatML markers. */
    static ChatFormat formatOf(Path modelDir, Tokenizer tok) {
        try {
            return ChatFormat.load(modelDir, tok);
        } catch (SeedlingException e) {
            if (!e.getMessage().contains("has no chat template")) throw e;
            if (tok.tokenId("<|im_start|>").isEmpty() || tok.tokenId("<|im_end|>").isEmpty()) throw e;
            return ChatFormat.seedlingDefault(tok);
        }
    }
}
