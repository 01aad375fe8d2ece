package dev.seedling.tokenizer.internal.hf;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The added tokens of a tokenizer ({@code tokenizer.json} {@code "added_tokens"}) and how HF's
 * {@code AddedVocabulary::extract_and_normalize} cuts them out of the input before the model sees it:
 * tokens with {@code normalized: false} are matched on the raw text first; the rest of the text is normalized piece
 * by piece and then searched for the tokens with {@code normalized: true} (whose patterns are their normalized
 * content). Matching is leftmost-longest (HF's Aho-Corasick {@code LeftmostLongest}); {@code single_word} drops a
 * match touching a word character ({@code \w}) on either side; {@code lstrip}/{@code rstrip} widen a match over
 * the White_Space before/after it. Immutable and thread-safe.
 */
public final class AddedVocabulary {
    /** One added token as read from the file, with the id it resolves to. */
    public record Token(int id, String content, boolean special, boolean singleWord, boolean lstrip, boolean rstrip,
                        boolean normalized) {}

    /** Receives the segments of a split, in order. */
    @FunctionalInterface
    public interface SegmentSink {
        /**
         * @param text  the segment (never empty)
         * @param id    the added token's id, or -1 for ordinary text
         * @param start offset of the segment in the split string
         */
        void accept(String text, int id, int start);
    }

    private final List<Token> tokens;
    private final Trie raw, normalized;

    public AddedVocabulary(List<Token> tokens, Normalizer normalizer) {
        this.tokens = List.copyOf(tokens);
        List<String> rawPatterns = new ArrayList<>(), normPatterns = new ArrayList<>();
        List<Token> rawTokens = new ArrayList<>(), normTokens = new ArrayList<>();
        for (Token t : tokens) {
            if (t.content().isEmpty()) continue;
            if (t.normalized()) {
                normPatterns.add(normalizer == null ? t.content() : normalizer.normalize(t.content()));
                normTokens.add(t);
            } else {
                rawPatterns.add(t.content());
                rawTokens.add(t);
            }
        }
        raw = new Trie(rawPatterns, rawTokens);
        normalized = new Trie(normPatterns, normTokens);
    }

    public List<Token> tokens() {
        return tokens;
    }

    /** Splits raw input on the non-normalized tokens. */
    public void splitRaw(String text, SegmentSink out) {
        raw.split(text, out);
    }

    /** Splits normalized text on the normalized tokens. */
    public void splitNormalized(String text, SegmentSink out) {
        normalized.split(text, out);
    }

    /** A character trie over the patterns, searched leftmost-longest. */
    private static final class Trie {
        private final Map<Long, Integer> edges = new HashMap<>(); // (node << 16 | char) -> child node
        private final List<Token> nodeToken = new ArrayList<>(); // token ending at each node (null if none)
        private final boolean[] firstChar = new boolean[65536];
        private final boolean empty;

        Trie(List<String> patterns, List<Token> tokens) {
            nodeToken.add(null);
            for (int p = 0; p < patterns.size(); p++) {
                String s = patterns.get(p);
                if (s.isEmpty()) continue;
                firstChar[s.charAt(0)] = true;
                int node = 0;
                for (int i = 0; i < s.length(); i++) {
                    long key = ((long) node << 16) | s.charAt(i);
                    Integer child = edges.get(key);
                    if (child == null) {
                        child = nodeToken.size();
                        nodeToken.add(null);
                        edges.put(key, child);
                    }
                    node = child;
                }
                if (nodeToken.get(node) == null) nodeToken.set(node, tokens.get(p)); // first pattern wins on duplicates
            }
            empty = nodeToken.size() == 1;
        }

        void split(String text, SegmentSink out) {
            if (text.isEmpty()) return;
            if (empty) {
                out.accept(text, -1, 0);
                return;
            }
            int n = text.length();
            int startOffset = 0;
            int i = 0;
            while (i < n) {
                if (!firstChar[text.charAt(i)]) {
                    i++;
                    continue;
                }
                // longest pattern starting at i
                int node = 0, bestEnd = -1;
                Token best = null;
                for (int j = i; j < n; j++) {
                    Integer child = edges.get(((long) node << 16) | text.charAt(j));
                    if (child == null) break;
                    node = child;
                    Token t = nodeToken.get(node);
                    if (t != null) {
                        best = t;
                        bestEnd = j + 1;
                    }
                }
                if (best == null) {
                    i++;
                    continue;
                }
                int start = i, stop = bestEnd;
                i = bestEnd; // the search resumes after the match (before any rstrip widening), as HF's find_iter
                if (best.singleWord()) {
                    boolean startSpace = start == 0 || !CharClasses.isWordChar(text.codePointBefore(start));
                    boolean stopSpace = stop == n || !CharClasses.isWordChar(text.codePointAt(stop));
                    if (!startSpace || !stopSpace) continue;
                }
                if (best.lstrip()) {
                    int s = start;
                    while (s > 0) {
                        int cp = text.codePointBefore(s);
                        if (!CharClasses.isWhiteSpace(cp)) break;
                        s -= Character.charCount(cp);
                    }
                    start = Math.max(s, startOffset);
                }
                if (best.rstrip()) {
                    while (stop < n) {
                        int cp = text.codePointAt(stop);
                        if (!CharClasses.isWhiteSpace(cp)) break;
                        stop += Character.charCount(cp);
                    }
                }
                if (startOffset < start) out.accept(text.substring(startOffset, start), -1, startOffset);
                out.accept(text.substring(start, stop), best.id(), start);
                startOffset = stop;
            }
            if (startOffset < n) out.accept(text.substring(startOffset), -1, startOffset);
        }
    }
}
