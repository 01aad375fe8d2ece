package dev.seedling.train;

import dev.seedling.testkit.TextFixtures;

import dev.seedling.data.PackConfig;
import dev.seedling.data.Packer;
import dev.seedling.model.LlamaConfig;
import dev.seedling.tokenizer.ByteTokenizer;
import dev.seedling.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;

/** A tiny model, a generated English-like corpus and helpers shared by the training tests. */
final class TrainFixtures {
    private TrainFixtures() {}

    static final Tokenizer TOKENIZER = new ByteTokenizer();

    /** V 320 (the byte tokenizer has 260 ids), C 32, L 2, H 4, KV 2, F 64, 64 positions, untied. */
    static LlamaConfig tinyModel() {
        return LlamaConfig.of(320, 32, 2, 4, 2, 64, 64, false)
                .withSpecialTokens(ByteTokenizer.ENDOFTEXT_ID, ByteTokenizer.ENDOFTEXT_ID);
    }

    /** B 4, T 32, a short warmup and no intermediate validation or checkpoints unless overridden. */
    static TrainConfig train(int maxSteps, Map<String, ?> overrides) {
        Map<String, Object> m = new TreeMap<>();
        m.put("batch_size", 4);
        m.put("seq_len", 32);
        m.put("max_steps", maxSteps);
        m.put("warmup_steps", 2);
        m.put("learning_rate", 3e-3);
        m.put("eval_every", 0);
        m.put("eval_batches", 4);
        m.put("checkpoint_every", 0);
        m.putAll(overrides);
        return TrainConfig.defaults().withOverrides(m);
    }

    /** One English-like sentence from {@code r}. */
    static String sentence(SplittableRandom r) {
        return TextFixtures.sentence(r);
    }

    /** Writes {@code docs} documents of roughly {@code bytesPerDoc} bytes each as {@code doc-NN.txt} into {@code dir}. */
    static Path corpus(Path dir, SplittableRandom r, int docs, int bytesPerDoc) {
        return TextFixtures.corpus(dir, r, docs, bytesPerDoc);
    }

    /** Packs {@code text} into {@code out} with the byte tokenizer and a 10% validation split. */
    static Path pack(Path text, Path out) {
        Packer.pack(PackConfig.of(text, out, TOKENIZER).withValFraction(0.1));
        return out;
    }

    /** A packed corpus of 24 documents (~2 KB each) under {@code root}. */
    static Path packedCorpus(Path root, String seedName) {
        Path text = corpus(root.resolve("text"), dev.seedling.testkit.Seeds.rng(seedName), 24, 2000);
        return pack(text, root.resolve("packed"));
    }

    static TrainResult run(LlamaConfig model, TrainConfig cfg, Path data, Path runDir, boolean resume) {
        return Trainer.run(new Trainer.Request(model, cfg, data, TOKENIZER, runDir, resume, 0, null));
    }

    /** Every regular file under {@code dir} (relative path → bytes), to prove a failure changed nothing. */
    static Map<String, byte[]> snapshot(Path dir) {
        return TextFixtures.snapshot(dir);
    }

    static List<String> lines(Path file) {
        try {
            return new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
