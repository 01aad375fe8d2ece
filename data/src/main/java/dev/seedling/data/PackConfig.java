package dev.seedling.data;

import dev.seedling.tensor.SeedlingException;
import dev.seedling.tokenizer.Tokenizer;
import java.nio.file.Path;

/**
 * What {@link Packer#pack} does. All defaults are here ({@link #of}).
 *
 * @param input            a folder of {@code .txt}/{@code .md} files, a {@code .jsonl} file, or one text file
 * @param outputDir        the shard folder: new, empty, or a previous pack (which is replaced)
 * @param tokenizer        the tokenizer whose ids go into the shards
 * @param valFraction      share of documents held out for validation, in {@code [0, 0.5]}; with a single document,
 *                         the share of its tokens (its tail) instead; 0 for no validation split
 * @param seed             fixes which documents are held out
 * @param shardTokens      most tokens in one shard file, in {@code [1, 2^31]}
 * @param maxDocumentBytes largest text file or jsonl line accepted
 */
public record PackConfig(Path input, Path outputDir, Tokenizer tokenizer, double valFraction, long seed,
                         long shardTokens, long maxDocumentBytes) {
    public static final double DEFAULT_VAL_FRACTION = 0.05;
    public static final long DEFAULT_SEED = 0x5EED;
    public static final long DEFAULT_SHARD_TOKENS = 256L << 20;
    public static final long DEFAULT_MAX_DOCUMENT_BYTES = DocumentReader.DEFAULT_MAX_DOCUMENT_BYTES;

    public PackConfig {
        if (input == null) throw new SeedlingException("pack: the input path is missing; give a folder or a docs.jsonl file");
        if (outputDir == null) throw new SeedlingException("pack: the output folder is missing; give a new or empty folder");
        if (tokenizer == null) throw new SeedlingException("pack: the tokenizer is missing; give a model folder or tokenizer.json");
        if (!(valFraction >= 0 && valFraction <= 0.5)) {
            throw new SeedlingException("pack: val fraction " + valFraction + " is outside [0, 0.5]; use e.g. 0.05 (5% of documents)");
        }
        if (shardTokens < 1 || shardTokens > 1L << 31) {
            throw new SeedlingException("pack: shard size " + shardTokens + " tokens is outside [1, 2^31]; the default is "
                    + DEFAULT_SHARD_TOKENS);
        }
        if (maxDocumentBytes < 1 || maxDocumentBytes > Integer.MAX_VALUE - 16) {
            throw new SeedlingException("pack: max document size " + maxDocumentBytes + " bytes is outside [1, 2^31 - 16]");
        }
        if (tokenizer.eosId() < 0 || tokenizer.eosId() >= tokenizer.vocabSize()) {
            throw new SeedlingException("pack: tokenizer " + tokenizer.name() + " has no EOS token; documents need one as separator");
        }
    }

    /** A config with every default: 5% validation documents, seed {@value #DEFAULT_SEED}, 256 Mi tokens a shard. */
    public static PackConfig of(Path input, Path outputDir, Tokenizer tokenizer) {
        return new PackConfig(input, outputDir, tokenizer, DEFAULT_VAL_FRACTION, DEFAULT_SEED, DEFAULT_SHARD_TOKENS,
                DEFAULT_MAX_DOCUMENT_BYTES);
    }

    public PackConfig withValFraction(double valFraction) {
        return new PackConfig(input, outputDir, tokenizer, valFraction, seed, shardTokens, maxDocumentBytes);
    }

    public PackConfig withSeed(long seed) {
        return new PackConfig(input, outputDir, tokenizer, valFraction, seed, shardTokens, maxDocumentBytes);
    }

    public PackConfig withShardTokens(long shardTokens) {
        return new PackConfig(input, outputDir, tokenizer, valFraction, seed, shardTokens, maxDocumentBytes);
    }

    public PackConfig withMaxDocumentBytes(long maxDocumentBytes) {
        return new PackConfig(input, outputDir, tokenizer, valFraction, seed, shardTokens, maxDocumentBytes);
    }
}
