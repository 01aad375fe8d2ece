package dev.seedling.data;

import dev.seedling.tokenizer.ByteTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Small corpora for tests, written under a temp folder. */
final class TestCorpus {
    private TestCorpus() {}

    static final ByteTokenizer TOKENIZER = new ByteTokenizer();

    /** A random multi-line text of up to {@code maxChars} characters, never blank. */
    static String text(SplittableRandom r, int maxChars) {
        String[] words = {"the", "pump", "valve", "Überdruck", "压力", "seal", "torque", "😀", "é", "rotor", "\n", "-"};
        StringBuilder sb = new StringBuilder("doc");
        int len = 1 + r.nextInt(maxChars);
        while (sb.length() < len) sb.append(' ').append(words[r.nextInt(words.length)]);
        return sb.toString();
    }

    static void write(Path file, String text) {
        write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    static void write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes {@code n} random documents as {@code .txt}/{@code .md} files in nested folders, plus a skipped
     * {@code .csv} and a hidden file; returns the texts in reading order (sorted relative paths).
     */
    static List<String> folder(Path dir, int n, SplittableRandom r, int maxChars) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String rel = String.format("%s/doc-%03d.%s", i % 3 == 0 ? "a" : "b/c", i, i % 2 == 0 ? "txt" : "md");
            String t = text(r, maxChars);
            write(dir.resolve(rel), t);
        }
        write(dir.resolve("table.csv"), "x,y\n1,2\n");
        write(dir.resolve(".hidden/notes.txt"), "not read");
        // reading order = sorted relative paths: a/... before b/c/...
        for (int i = 0; i < n; i += 3) texts.add(read(dir.resolve(String.format("a/doc-%03d.%s", i, i % 2 == 0 ? "txt" : "md"))));
        for (int i = 0; i < n; i++) {
            if (i % 3 != 0) texts.add(read(dir.resolve(String.format("b/c/doc-%03d.%s", i, i % 2 == 0 ? "txt" : "md"))));
        }
        return texts;
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** All tokens of a split. */
    static int[] tokens(TokenSplit split) {
        int[] out = new int[Math.toIntExact(split.size())];
        split.read(0, out, 0, out.length);
        return out;
    }

    /** The documents of a token sequence: texts between EOS tokens (a trailing piece without EOS included). */
    static List<String> documents(int[] tokens, int eos) {
        List<String> docs = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] == eos) {
                docs.add(TOKENIZER.decode(tokens, start, i));
                start = i + 1;
            }
        }
        if (start < tokens.length) docs.add(TOKENIZER.decode(tokens, start, tokens.length));
        return docs;
    }
}
