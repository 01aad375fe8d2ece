package dev.seedling.data;

import dev.seedling.tensor.AtomicFiles;
import dev.seedling.data.internal.SplitMix;
import dev.seedling.data.internal.format.v1.ShardHeader;
import dev.seedling.data.internal.format.v1.ShardIndex;
import dev.seedling.data.internal.format.v1.ShardWriter;
import dev.seedling.tensor.SeedlingException;
import dev.seedling.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code seedling pack}: tokenizes a corpus into token shards (format: {@code docs/formats.md}, "Token shards (v1)").
 *
 * <p>Each document becomes its tokens followed by EOS. A seeded, deterministic choice of whole documents (the
 * {@link PackConfig#valFraction() val fraction}, rounded, at least 1 and at most n-1 when there are n ≥ 2 documents)
 * goes to the {@code val} split, the rest to {@code train}, both in input order; a corpus of one document gives its
 * tail tokens to {@code val} instead. The same input and config always give byte-identical files.
 *
 * <p>The input is read twice: a first pass checks every document (binary files, bad jsonl lines) and counts them
 * before anything is written; the second tokenizes. Shards are written under hidden temp names and renamed into place
 * only when all are complete, then {@code index.json} is written last, so a failed pack leaves an existing pack
 * untouched and writes nothing into a new folder. A non-empty output folder that is not a previous pack is refused.
 */
public final class Packer {
    private Packer() {}

    private static final System.Logger LOG = System.getLogger(Packer.class.getName());
    private static final long PROGRESS_INTERVAL_NANOS = 1_000_000_000L;
    private static final long VAL_STREAM = 0x76616C; // "val"
    private static final Pattern SHARD = Pattern.compile("(train|val)-\\d{5}\\.bin");
    private static final Pattern TEMP = Pattern.compile("\\.(train|val)-\\d{5}\\.bin\\.tmp|\\.index\\.json\\..+\\.tmp");

    /** Packs with a progress line logged (System.Logger, INFO) about every ten seconds. */
    public static PackResult pack(PackConfig config) {
        long[] last = {0};
        return pack(config, p -> {
            long now = p.elapsed().toSeconds();
            if (now - last[0] >= 10 || p.documents() == p.totalDocuments()) {
                last[0] = now;
                LOG.log(System.Logger.Level.INFO, p.line());
            }
        });
    }

    /** Packs, calling {@code progress} about once a second while tokenizing and once at the end. */
    public static PackResult pack(PackConfig config, Consumer<PackProgress> progress) {
        Path out = config.outputDir();
        checkOutput(config);
        DocumentReader reader = DocumentReader.open(config.input(), config.maxDocumentBytes());

        DocumentReader.Stats stats = reader.forEach(d -> { });
        long n = stats.documents();
        if (n == 0) {
            throw new SeedlingException(config.input() + " has no usable text (" + reader.files().size()
                    + " .txt/.md/.jsonl files read, " + stats.blankDocuments() + " blank documents, " + reader.skippedFiles()
                    + " files with other extensions skipped); add .txt/.md files or point to a docs.jsonl file");
        }
        LOG.log(System.Logger.Level.INFO, "pack: " + n + " documents (" + stats.bytes() + " bytes) in " + config.input()
                + " checked; tokenizing");
        PackResult.Holdout holdout = config.valFraction() == 0 ? PackResult.Holdout.NONE
                : n == 1 ? PackResult.Holdout.TAIL : PackResult.Holdout.DOCUMENTS;
        long k = holdout != PackResult.Holdout.DOCUMENTS ? 0
                : Math.clamp(Math.round(config.valFraction() * n), 1L, n - 1);

        boolean created = !Files.exists(out);
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new SeedlingException("cannot create " + out + ": " + e + "; check the path and permissions", e);
        }
        try {
            return tokenize(config, reader, stats, holdout, k, progress);
        } catch (RuntimeException | Error e) {
            if (created) AtomicFiles.deleteQuietly(out); // only succeeds when the writers left it empty
            throw e;
        }
    }

    private static PackResult tokenize(PackConfig config, DocumentReader reader, DocumentReader.Stats stats,
                                       PackResult.Holdout holdout, long k, Consumer<PackProgress> progress) {
        Path out = config.outputDir();
        long n = stats.documents();
        Tokenizer tok = config.tokenizer();
        int vocab = tok.vocabSize(), eos = tok.eosId();
        try (ShardWriter train = new ShardWriter(out, Split.TRAIN.fileName(), ShardHeader.SPLIT_TRAIN, vocab, eos, config.shardTokens());
             ShardWriter val = new ShardWriter(out, Split.VAL.fileName(), ShardHeader.SPLIT_VAL, vocab, eos, config.shardTokens())) {
            SplitMix rng = new SplitMix(SplitMix.mix(config.seed(), VAL_STREAM));
            long[] seen = {0, 0, 0}; // documents, selected for val, train documents
            long start = System.nanoTime();
            long[] lastReport = {start};
            reader.forEach(doc -> {
                long i = seen[0]++;
                if (i >= n) throw changed(config.input(), n);
                int[] ids = tok.encode(doc.text());
                switch (holdout) {
                    case NONE -> {
                        train.write(ids, 0, ids.length);
                        train.write(eos);
                        seen[2]++;
                    }
                    case DOCUMENTS -> {
                        boolean isVal = rng.nextDouble() * (n - i) < (k - seen[1]);
                        ShardWriter w = isVal ? val : train;
                        seen[isVal ? 1 : 2]++;
                        w.write(ids, 0, ids.length);
                        w.write(eos);
                    }
                    case TAIL -> {
                        long total = ids.length + 1L; // the document and its EOS
                        int valLen = total < 2 ? 0 : (int) Math.clamp(Math.round(config.valFraction() * total), 1L, total - 1);
                        int cut = (int) (total - valLen);
                        train.write(ids, 0, Math.min(cut, ids.length));
                        if (valLen == 0) train.write(eos);
                        else {
                            val.write(ids, cut, ids.length);
                            val.write(eos);
                        }
                        seen[2]++;
                    }
                }
                long now = System.nanoTime();
                if (now - lastReport[0] >= PROGRESS_INTERVAL_NANOS) {
                    lastReport[0] = now;
                    progress.accept(new PackProgress(seen[0], n, train.totalTokens() + val.totalTokens(),
                            Duration.ofNanos(now - start)));
                }
            });
            if (seen[0] != n) throw changed(config.input(), n);
            progress.accept(new PackProgress(n, n, train.totalTokens() + val.totalTokens(),
                    Duration.ofNanos(System.nanoTime() - start)));

            List<ShardWriter.Written> written = new ArrayList<>(train.finish());
            written.addAll(val.finish());
            List<ShardIndex.Entry> entries = new ArrayList<>();
            for (ShardWriter.Written w : written) {
                ShardHeader h = w.header();
                entries.add(new ShardIndex.Entry(w.fileName(),
                        h.split() == ShardHeader.SPLIT_TRAIN ? Split.TRAIN.fileName() : Split.VAL.fileName(),
                        h.tokenCount(), h.documentCount(), h.payloadCrc()));
            }
            Map<String, Object> input = new LinkedHashMap<>();
            input.put("documents", n);
            input.put("blank_documents", stats.blankDocuments());
            input.put("skipped_files", reader.skippedFiles());
            input.put("bytes", stats.bytes());
            Map<String, Object> cfg = new LinkedHashMap<>();
            cfg.put("input", config.input().toString());
            cfg.put("val_fraction", config.valFraction());
            cfg.put("seed", config.seed());
            cfg.put("shard_tokens", config.shardTokens());
            cfg.put("max_document_bytes", config.maxDocumentBytes());
            ShardIndex index = new ShardIndex(tok.name(), vocab, eos,
                    ShardHeader.dtypeFor(vocab) == ShardHeader.DTYPE_UINT16 ? "uint16" : "int32",
                    holdout.name().toLowerCase(java.util.Locale.ROOT), entries, input, cfg);
            commit(out, written, index);

            PackResult result = new PackResult(out, n, seen[2], seen[1], train.totalTokens(), val.totalTokens(), holdout,
                    stats.blankDocuments(), reader.skippedFiles(),
                    written.stream().map(w -> out.resolve(w.fileName())).toList());
            LOG.log(System.Logger.Level.INFO, result.summary());
            return result;
        }
    }

    private static SeedlingException changed(Path input, long n) {
        return new SeedlingException(input + " changed while it was being packed (the first pass counted " + n
                + " documents); pack again once it is stable");
    }

    /** Refuses an output that is a file, lies inside the input folder, or is a non-empty folder other than a pack. */
    private static void checkOutput(PackConfig config) {
        Path out = config.outputDir();
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new SeedlingException(out + " is a file; give a new or empty folder for the shards");
        }
        Path in = config.input().toAbsolutePath().normalize();
        if (Files.isDirectory(in) && out.toAbsolutePath().normalize().startsWith(in)) {
            throw new SeedlingException(out + " is inside the input folder " + config.input()
                    + "; put the shards in a folder outside the corpus");
        }
        if (!Files.isDirectory(out)) return;
        try (Stream<Path> entries = Files.list(out)) {
            for (Path p : entries.sorted().toList()) {
                String name = p.getFileName().toString();
                boolean ours = Files.isRegularFile(p) && (SHARD.matcher(name).matches() || TEMP.matcher(name).matches()
                        || (name.equals(ShardIndex.FILE) && ShardIndex.looksLikeIndex(p)));
                if (!ours) {
                    throw new SeedlingException(out + " is not empty and is not a token-shard folder from `seedling pack` "
                            + "(it holds " + name + "); choose a new or empty folder, nothing was written");
                }
            }
        } catch (IOException e) {
            throw new SeedlingException("cannot list " + out + ": " + e + "; check its permissions", e);
        }
    }

    /** Renames the finished shards into place, drops stale ones of an earlier pack, and writes index.json last. */
    private static void commit(Path out, List<ShardWriter.Written> written, ShardIndex index) {
        Path indexFile = out.resolve(ShardIndex.FILE);
        try {
            Files.deleteIfExists(indexFile); // from here on the folder is not a complete pack until index.json returns
            AtomicFiles.syncDirectory(out);
            Set<String> names = new HashSet<>();
            for (ShardWriter.Written w : written) {
                AtomicFiles.moveAtomically(w.tmp(), out.resolve(w.fileName()));
                names.add(w.fileName());
            }
            try (Stream<Path> entries = Files.list(out)) {
                for (Path p : entries.toList()) {
                    String name = p.getFileName().toString();
                    if ((SHARD.matcher(name).matches() && !names.contains(name)) || TEMP.matcher(name).matches()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        } catch (IOException e) {
            throw new SeedlingException("cannot finish the shards in " + out + ": " + e + "; check free space and permissions", e);
        }
        AtomicFiles.write(indexFile, index.encode());
    }
}
