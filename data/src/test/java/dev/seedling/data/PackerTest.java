package dev.seedling.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seedling.tensor.SeedlingException;
import dev.seedling.testkit.SeedReporter;
import dev.seedling.testkit.Seeds;
import dev.seedling.tokenizer.ByteTokenizer;
import dev.seedling.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SeedReporter.class)
class PackerTest {
    private static final ByteTokenizer TOK = TestCorpus.TOKENIZER;

    @TempDir
    Path tmp;

    private PackConfig config(Path in, Path out) {
        return PackConfig.of(in, out, TOK);
    }

    @Test
    void packsAFolderAndReadsBackTheExactTokens() {
        SplittableRandom r = Seeds.rng("PackerTest.readBack");
        List<String> texts = TestCorpus.folder(tmp.resolve("corpus"), 20, r, 300);
        PackResult res = Packer.pack(config(tmp.resolve("corpus"), tmp.resolve("out")).withValFraction(0.2).withShardTokens(700));

        assertThat(res.documents()).isEqualTo(20);
        assertThat(res.valDocuments()).isEqualTo(4);
        assertThat(res.trainDocuments()).isEqualTo(16);
        assertThat(res.skippedFiles()).isEqualTo(1);
        assertThat(res.holdout()).isEqualTo(PackResult.Holdout.DOCUMENTS);
        assertThat(res.shards().size()).isGreaterThan(2);

        try (TokenShards shards = TokenShards.open(tmp.resolve("out"))) {
            int[] train = TestCorpus.tokens(shards.train()), val = TestCorpus.tokens(shards.val());
            assertThat(train.length).isEqualTo(res.trainTokens());
            assertThat(val.length).isEqualTo(res.valTokens());
            assertThat(train[train.length - 1]).isEqualTo(TOK.eosId());
            assertThat(val[val.length - 1]).isEqualTo(TOK.eosId());
            List<String> trainDocs = TestCorpus.documents(train, TOK.eosId());
            List<String> valDocs = TestCorpus.documents(val, TOK.eosId());
            assertThat(trainDocs).hasSize(16);
            assertThat(valDocs).hasSize(4);
            assertThat(shards.train().documents()).isEqualTo(16);
            assertThat(shards.val().documents()).isEqualTo(4);
            // each split keeps input order, and together they are exactly the corpus
            List<String> merged = new ArrayList<>();
            int ti = 0, vi = 0;
            for (String t : texts) {
                if (ti < trainDocs.size() && trainDocs.get(ti).equals(t)) merged.add(trainDocs.get(ti++));
                else if (vi < valDocs.size() && valDocs.get(vi).equals(t)) merged.add(valDocs.get(vi++));
            }
            assertThat(merged).containsExactlyElementsOf(texts);
            // exact token sequence of the train split
            List<Integer> expected = new ArrayList<>();
            for (String t : trainDocs) {
                for (int id : TOK.encode(t)) expected.add(id);
                expected.add(TOK.eosId());
            }
            assertThat(train).containsExactly(expected.stream().mapToInt(Integer::intValue).toArray());
            // random access agrees with bulk reads across shard boundaries
            for (int i = 0; i < train.length; i += 37) assertThat(shards.train().token(i)).isEqualTo(train[i]);
            assertThat(shards.vocabSize()).isEqualTo(260);
            assertThat(shards.tokenizerName()).isEqualTo("seedling-byte");
        }
    }

    @Test
    void packingTwiceGivesByteIdenticalFiles() throws IOException {
        SplittableRandom r = Seeds.rng("PackerTest.determinism");
        TestCorpus.folder(tmp.resolve("corpus"), 15, r, 400);
        Packer.pack(config(tmp.resolve("corpus"), tmp.resolve("one")).withShardTokens(1000).withValFraction(0.1));
        Packer.pack(config(tmp.resolve("corpus"), tmp.resolve("two")).withShardTokens(1000).withValFraction(0.1));
        List<String> names = list(tmp.resolve("one"));
        assertThat(list(tmp.resolve("two"))).isEqualTo(names);
        for (String n : names) {
            assertThat(Files.readAllBytes(tmp.resolve("two").resolve(n))).as(n)
                    .isEqualTo(Files.readAllBytes(tmp.resolve("one").resolve(n)));
        }
        // another seed holds out other documents
        PackResult other = Packer.pack(config(tmp.resolve("corpus"), tmp.resolve("three")).withValFraction(0.2).withSeed(7));
        PackResult base = Packer.pack(config(tmp.resolve("corpus"), tmp.resolve("four")).withValFraction(0.2));
        try (TokenShards a = TokenShards.open(other.outputDir()); TokenShards b = TokenShards.open(base.outputDir())) {
            assertThat(TestCorpus.tokens(a.val())).isNotEqualTo(TestCorpus.tokens(b.val()));
        }
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void validationIsHeldOutByWholeDocuments() {
        SplittableRandom r = Seeds.rng("PackerTest.split");
        List<String> texts = TestCorpus.folder(tmp.resolve("corpus"), 40, r, 100);
        PackResult res = Packer.pack(config(tmp.resolve("corpus"), tmp.resolve("out")));
        assertThat(res.valDocuments()).isEqualTo(2); // round(5% of 40)
        try (TokenShards shards = TokenShards.open(tmp.resolve("out"))) {
            List<String> val = TestCorpus.documents(TestCorpus.tokens(shards.val()), TOK.eosId());
            assertThat(texts).containsAll(val);
            assertThat(val).hasSize(2);
        }
        // two documents: at least one goes to val even at a tiny fraction
        TestCorpus.write(tmp.resolve("two/a.txt"), "first");
        TestCorpus.write(tmp.resolve("two/b.txt"), "second");
        PackResult two = Packer.pack(config(tmp.resolve("two"), tmp.resolve("out2")).withValFraction(0.01));
        assertThat(two.valDocuments()).isEqualTo(1);
        assertThat(two.trainDocuments()).isEqualTo(1);
    }

    @Test
    void aSingleDocumentGivesItsTailToValidation() {
        String text = "a".repeat(199);
        TestCorpus.write(tmp.resolve("one.txt"), text);
        PackResult res = Packer.pack(config(tmp.resolve("one.txt"), tmp.resolve("out")).withValFraction(0.1));
        assertThat(res.holdout()).isEqualTo(PackResult.Holdout.TAIL);
        assertThat(res.valTokens()).isEqualTo(20); // 10% of 199 + EOS
        assertThat(res.trainTokens()).isEqualTo(180);
        try (TokenShards shards = TokenShards.open(tmp.resolve("out"))) {
            int[] train = TestCorpus.tokens(shards.train()), val = TestCorpus.tokens(shards.val());
            int[] all = new int[train.length + val.length];
            System.arraycopy(train, 0, all, 0, train.length);
            System.arraycopy(val, 0, all, train.length, val.length);
            int[] expected = new int[200];
            java.util.Arrays.fill(expected, 'a');
            expected[199] = TOK.eosId();
            assertThat(all).containsExactly(expected);
        }
    }

    @Test
    void zeroValFractionWritesNoValidationSplit() {
        TestCorpus.folder(tmp.resolve("corpus"), 5, Seeds.rng("PackerTest.noVal"), 100);
        PackResult res = Packer.pack(config(tmp.resolve("corpus"), tmp.resolve("out")).withValFraction(0));
        assertThat(res.holdout()).isEqualTo(PackResult.Holdout.NONE);
        assertThat(res.valTokens()).isZero();
        try (TokenShards shards = TokenShards.open(tmp.resolve("out"))) {
            assertThat(shards.val().size()).isZero();
            assertThatThrownBy(() -> BatchLoader.validation(shards.val(), 1, 8))
                    .isInstanceOf(SeedlingException.class).hasMessageContaining("val split has 0 tokens");
        }
    }

    @Test
    void readsDocsJsonl() {
        Path jsonl = tmp.resolve("docs.jsonl");
        TestCorpus.write(jsonl, """
                {"id": "d1", "text": "first doc", "source": "manual.pdf", "meta": {"page": 3}}
                
                {"text": "second\\ndoc 😀"}\r
                {"text": "   "}
                {"id": 7, "text": "third"}
                """);
        List<Document> docs = new ArrayList<>();
        DocumentReader.Stats stats = DocumentReader.open(jsonl).forEach(docs::add);
        assertThat(stats.documents()).isEqualTo(3);
        assertThat(stats.blankDocuments()).isEqualTo(1);
        assertThat(docs).extracting(Document::text).containsExactly("first doc", "second\ndoc 😀", "third");
        assertThat(docs).extracting(Document::id).containsExactly("d1", "docs.jsonl:3", "7");
        assertThat(docs.get(0).source()).isEqualTo("manual.pdf");
        assertThat(docs.get(0).meta()).containsEntry("page", 3);
        assertThat(docs.get(1).source()).isEqualTo("docs.jsonl");

        PackResult res = Packer.pack(config(jsonl, tmp.resolve("out")).withValFraction(0));
        assertThat(res.trainTokens()).isEqualTo("first doc".length() + TOK.encode("second\ndoc 😀").length + "third".length() + 3);
    }

    @Test
    void aBadJsonlLineIsReportedWithItsNumber() {
        Path jsonl = tmp.resolve("docs.jsonl");
        TestCorpus.write(jsonl, "{\"text\": \"ok\"}\n{\"text\": \"ok too\"}\n{\"text\": oops}\n");
        assertThatThrownBy(() -> Packer.pack(config(jsonl, tmp.resolve("out"))))
                .isInstanceOf(SeedlingException.class)
                .hasMessageContaining(jsonl.toString())
                .hasMessageContaining("line 3")
                .hasMessageNotContaining("\n");
        assertThat(tmp.resolve("out")).doesNotExist();

        TestCorpus.write(jsonl, "{\"text\": \"ok\"}\n{\"title\": \"no text\"}\n");
        assertThatThrownBy(() -> Packer.pack(config(jsonl, tmp.resolve("out"))))
                .isInstanceOf(SeedlingException.class)
                .hasMessageContaining("line 2")
                .hasMessageContaining("\"text\"");
        TestCorpus.write(jsonl, "{\"text\": \"ok\"} {\"text\": \"two on a line\"}\n");
        assertThatThrownBy(() -> Packer.pack(config(jsonl, tmp.resolve("out"))))
                .isInstanceOf(SeedlingException.class)
                .hasMessageContaining("line 1");
    }

    @Test
    void anEmptyFolderOrOneWithoutTextIsRefused() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertThatThrownBy(() -> Packer.pack(config(empty, tmp.resolve("out"))))
                .isInstanceOf(SeedlingException.class)
                .hasMessageContaining(empty.toString())
                .hasMessageContaining("no usable text");
        TestCorpus.write(tmp.resolve("other/data.csv"), "a,b");
        TestCorpus.write(tmp.resolve("other/blank.txt"), "  \n\n");
        assertThatThrownBy(() -> Packer.pack(config(tmp.resolve("other"), tmp.resolve("out"))))
                .isInstanceOf(SeedlingException.class)
                .hasMessageContaining("no usable text")
                .hasMessageContaining("1 blank")
                .hasMessageContaining("1 files with other extensions");
        assertThat(tmp.resolve("out")).doesNotExist();
        assertThatThrownBy(() -> Packer.pack(config(tmp.resolve("missing"), tmp.resolve("out"))))
                .isInstanceOf(SeedlingException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void aBinaryFileAmongTextsIsNamedAndNothingIsWritten() {
        TestCorpus.folder(tmp.resolve("corpus"), 6, Seeds.rng("PackerTest.binary"), 100);
        byte[] withNul = new byte[1300];
        java.util.Arrays.fill(withNul, (byte) 'x');
        withNul[1234] = 0;
        Path bad = tmp.resolve("corpus/b/c/zz-image.txt");
        TestCorpus.write(bad, withNul);
        assertThatThrownBy(() -> Packer.pack(config(tmp.resolve("corpus"), tmp.resolve("out"))))
                .isInstanceOf(SeedlingException.class)
                .hasMessageContaining(bad.toString())
                .hasMessageContaining("looks binary (NUL byte at offset 1234)")
                .hasMessageContaining("seedling curate");
        assertThat(tmp.resolve("out")).doesNotExist();

        TestCorpus.write(bad, new byte[] {'a', 'b', (byte) 0xC3, '('});
        assertThatThrownBy(() -> Packer.pack(config(tmp.resolve("corpus"), tmp.resolve("out"))))
                .isInstanceOf(SeedlingException.class)
                .hasMessageContaining(bad.toString())
                .hasMessageContaining("invalid UTF-8 at offset 2");
    }

    @Test
    void aFileOverTheSizeLimitIsNamed() {
        TestCorpus.write(tmp.resolve("corpus/small.txt"), "small");
        TestCorpus.write(tmp.resolve("corpus/big.md"), "x".repeat(5000));
        assertThatThrownBy(() -> Packer.pack(config(tmp.resolve("corpus"), tmp.resolve("out")).withMaxDocumentBytes(4096)))
                .isInstanceOf(SeedlingException.class)
                .hasMessageContaining("big.md")
                .hasMessageContaining("5000 bytes");
    }

    @Test
    void aForeignNonEmptyOutputFolderIsRefusedAndKept() throws IOException {
        TestCorpus.write(tmp.resolve("corpus/a.txt"), "hello");
        Path out = tmp.resolve("out");
        TestCorpus.write(out.resolve("precious.txt"), "keep me");
        assertThatThrownBy(() -> Packer.pack(config(tmp.resolve("corpus"), out)))
                .isInstanceOf(SeedlingException.class)
                .hasMessageContaining(out.toString())
                .hasMessageContaining("precious.txt");
        assertThat(list(out)).containsExactly("precious.txt");
        assertThat(TestCorpus.read(out.resolve("precious.txt"))).isEqualTo("keep me");
        // a foreign index.json is not ours either
        Files.delete(out.resolve("precious.txt"));
        TestCorpus.write(out.resolve("index.json"), "{\"something\": \"else\"}");
        assertThatThrownBy(() -> Packer.pack(config(tmp.resolve("corpus"), out)))
                .isInstanceOf(SeedlingException.class)
                .hasMessageContaining("index.json");
        // nor is an output inside the corpus
        assertThatThrownBy(() -> Packer.pack(config(tmp.resolve("corpus"), tmp.resolve("corpus/shards"))))
                .isInstanceOf(SeedlingException.class)
                .hasMessageContaining("inside the input folder");
    }

    @Test
    void repackingReplacesAPreviousPack() throws IOException {
        TestCorpus.folder(tmp.resolve("corpus"), 10, Seeds.rng("PackerTest.repack"), 300);
        Path out = tmp.resolve("out");
        PackResult first = Packer.pack(config(tmp.resolve("corpus"), out).withShardTokens(200));
        assertThat(first.shards().size()).isGreaterThan(3);
        PackResult second = Packer.pack(config(tmp.resolve("corpus"), out));
        assertThat(second.shards()).hasSize(2);
        assertThat(list(out)).containsExactly("index.json", "train-00000.bin", "val-00000.bin");
        try (TokenShards shards = TokenShards.open(out)) {
            assertThat(shards.train().size()).isEqualTo(first.trainTokens());
        }
        // a failed repack leaves the previous pack intact
        TestCorpus.write(tmp.resolve("corpus/zz.txt"), new byte[] {0, 1, 2});
        assertThatThrownBy(() -> Packer.pack(config(tmp.resolve("corpus"), out))).isInstanceOf(SeedlingException.class);
        assertThat(list(out)).containsExactly("index.json", "train-00000.bin", "val-00000.bin");
        try (TokenShards shards = TokenShards.open(out)) {
            assertThat(shards.train().size()).isEqualTo(second.trainTokens());
        }
    }

    @Test
    void largeVocabulariesUseInt32Tokens() {
        Tokenizer wide = new CodePointTokenizer();
        TestCorpus.write(tmp.resolve("corpus/a.txt"), "压力 valve 😀");
        TestCorpus.write(tmp.resolve("corpus/b.txt"), "second");
        PackResult res = Packer.pack(PackConfig.of(tmp.resolve("corpus"), tmp.resolve("out"), wide).withValFraction(0));
        try (TokenShards shards = TokenShards.open(res.outputDir())) {
            int[] ids = TestCorpus.tokens(shards.train());
            int[] expected = java.util.stream.IntStream.concat(
                    java.util.stream.IntStream.concat("压力 valve 😀".codePoints().map(c -> c % 69_999), java.util.stream.IntStream.of(69_999)),
                    java.util.stream.IntStream.concat("second".codePoints(), java.util.stream.IntStream.of(69_999))).toArray();
            assertThat(ids).containsExactly(expected);
            assertThat(shards.vocabSize()).isEqualTo(70_000);
        }
        assertThat(res.outputDir().resolve("train-00000.bin")).hasSize(64 + 4L * res.trainTokens());
    }

    @Test
    void configIsValidated() {
        assertThatThrownBy(() -> PackConfig.of(tmp, tmp.resolve("o"), TOK).withValFraction(0.7))
                .isInstanceOf(SeedlingException.class).hasMessageContaining("0.7");
        assertThatThrownBy(() -> PackConfig.of(tmp, tmp.resolve("o"), TOK).withShardTokens(0))
                .isInstanceOf(SeedlingException.class).hasMessageContaining("shard size");
        assertThatThrownBy(() -> PackConfig.of(null, tmp.resolve("o"), TOK)).isInstanceOf(SeedlingException.class);
    }

    @Test
    void reportsProgress() {
        TestCorpus.folder(tmp.resolve("corpus"), 4, Seeds.rng("PackerTest.progress"), 50);
        List<PackProgress> seen = new ArrayList<>();
        Packer.pack(config(tmp.resolve("corpus"), tmp.resolve("out")), seen::add);
        assertThat(seen).isNotEmpty();
        PackProgress last = seen.getLast();
        assertThat(last.documents()).isEqualTo(4);
        assertThat(last.line()).startsWith("pack: 4/4 documents (100%)");
    }

    /** A tokenizer with a vocabulary above 65536: one id per code point (mod 69999), EOS = 69999. */
    private static final class CodePointTokenizer implements Tokenizer {
        public String name() { return "codepoint-test"; }
        public int vocabSize() { return 70_000; }
        public int[] encode(String text) { return text.codePoints().map(c -> c % 69_999).toArray(); }
        public String decode(int[] ids, int from, int to) { return new String(ids, from, to - from); }
        public int bosId() { return 69_999; }
        public int eosId() { return 69_999; }
        public int padId() { return -1; }
        public OptionalInt tokenId(String specialToken) { return OptionalInt.empty(); }
        public String tokenText(int id) { return Character.toString(id); }
        public java.util.Map<String, String> files() { throw new UnsupportedOperationException(); }
    }
}
