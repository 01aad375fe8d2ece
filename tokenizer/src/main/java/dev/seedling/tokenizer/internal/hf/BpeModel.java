package dev.seedling.tokenizer.internal.hf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seedling.tensor.SeedlingException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The BPE model of HF {@code tokenizers} ({@code tokenizer.json} {@code "model"} with {@code "type": "BPE"}):
 * vocab, ranked merges (either the {@code "a b"} string form or the {@code ["a", "b"]} pair form), unknown token
 * ({@code unk_token}, {@code fuse_unk}), {@code byte_fallback} to {@code <0xNN>} tokens, {@code ignore_merges},
 * {@code continuing_subword_prefix} and {@code end_of_word_suffix}. {@code dropout} must be null or 0 (Seedling
 * encodes deterministically).
 *
 * <p>Encoding one piece follows {@code BPE::merge_word} + {@code Word::merge_all}: the piece is cut into code points
 * (each looked up in the vocab, else byte fallback, else the unknown token, else dropped), then the pair of adjacent
 * symbols with the lowest merge rank (leftmost on ties) is merged until no pair has a merge; symbols live in a
 * linked list and candidate merges in a binary heap, so a piece of n code points costs O(n log n). Results of
 * pieces shorter than {@value #CACHE_MAX_CHARS} chars are memoized in a bounded concurrent cache. Thread-safe.
 */
public final class BpeModel {
    static final int CACHE_MAX_CHARS = 128;
    private static final int CACHE_MAX_ENTRIES = 1 << 18;

    private final Map<String, Integer> vocab;
    private final String[] idToToken; // (V) token string by id; null where the vocab has no such id
    private final List<String[]> merges; // (M) merge pairs by rank
    private final LongLongMap mergeMap; // (idA << 32 | idB) -> (rank << 32 | newId)
    private final String unkToken;
    private final int unkId;
    private final boolean fuseUnk, byteFallback, ignoreMerges;
    private final String prefix, suffix; // null when absent or empty
    private final int[] byteIds = new int[256]; // id of <0xNN>, -1 when absent
    private final int[] bmpIds = new int[65536]; // id of the one-char token for a BMP code point, -1 when absent
    private final ConcurrentHashMap<String, int[]> cache = new ConcurrentHashMap<>();

    private BpeModel(Map<String, Integer> vocab, List<String[]> merges, String unkToken, boolean fuseUnk,
                     boolean byteFallback, boolean ignoreMerges, String prefix, String suffix, String file) {
        this.vocab = vocab;
        this.merges = merges;
        this.unkToken = unkToken;
        this.fuseUnk = fuseUnk;
        this.byteFallback = byteFallback;
        this.ignoreMerges = ignoreMerges;
        this.prefix = prefix == null || prefix.isEmpty() ? null : prefix;
        this.suffix = suffix == null || suffix.isEmpty() ? null : suffix;
        int maxId = -1;
        for (int id : vocab.values()) maxId = Math.max(maxId, id);
        idToToken = new String[maxId + 1];
        Arrays.fill(bmpIds, -1);
        for (Map.Entry<String, Integer> e : vocab.entrySet()) {
            idToToken[e.getValue()] = e.getKey();
            String k = e.getKey();
            if (k.length() == 1) bmpIds[k.charAt(0)] = e.getValue();
        }
        for (int b = 0; b < 256; b++) {
            Integer id = vocab.get(String.format("<0x%02X>", b));
            byteIds[b] = id == null ? -1 : id;
        }
        if (unkToken != null) {
            Integer id = vocab.get(unkToken);
            unkId = id == null ? -1 : id; // HF fails only when the unknown token is needed; so do we
        } else {
            unkId = -1;
        }
        mergeMap = new LongLongMap(merges.size());
        int prefixLen = this.prefix == null ? 0 : this.prefix.length();
        for (int rank = 0; rank < merges.size(); rank++) {
            String a = merges.get(rank)[0], b = merges.get(rank)[1];
            int ia = idOf(a, file, rank), ib = idOf(b, file, rank);
            if (b.length() < prefixLen) throw new SeedlingException(file + ": model.merges[" + rank + "] right part " + HfJson.quote(b) + " is shorter than continuing_subword_prefix");
            int inew = idOf(a + b.substring(prefixLen), file, rank);
            mergeMap.put(((long) ia << 32) | ib, ((long) rank << 32) | inew); // a repeated pair keeps its last rank, as HF's HashMap does
        }
    }

    private int idOf(String token, String file, int rank) {
        Integer id = vocab.get(token);
        if (id == null) {
            throw new SeedlingException(file + ": model.merges[" + rank + "] uses " + HfJson.quote(token)
                    + " which is not in model.vocab; the tokenizer.json is damaged");
        }
        return id;
    }

    /** Reads a BPE {@code "model"} object. Errors name {@code file} and are one line. */
    public static BpeModel fromJson(JsonNode model, String file) {
        JsonNode vocabNode = model.path("vocab");
        if (!vocabNode.isObject()) throw new SeedlingException(file + ": model has no \"vocab\" object; the tokenizer.json is damaged");
        JsonNode mergesNode = model.path("merges");
        if (!mergesNode.isArray()) throw new SeedlingException(file + ": BPE model has no \"merges\" array; the tokenizer.json is damaged");
        JsonNode dropout = model.path("dropout");
        if (!HfJson.isNull(dropout) && !(dropout.isNumber() && dropout.asDouble() == 0.0)) {
            throw new SeedlingException(file + ": BPE dropout " + dropout + " is not supported; set \"dropout\": null (Seedling encodes deterministically)");
        }
        Map<String, Integer> vocab = new HashMap<>(vocabNode.size() * 2);
        for (Map.Entry<String, JsonNode> e : vocabNode.properties()) {
            if (!e.getValue().canConvertToInt() || e.getValue().asInt() < 0) {
                throw new SeedlingException(file + ": model.vocab[" + HfJson.quote(e.getKey()) + "] is " + e.getValue() + ", not a token id");
            }
            vocab.put(e.getKey(), e.getValue().asInt());
        }
        List<String[]> merges = new ArrayList<>(mergesNode.size());
        int index = 0;
        for (JsonNode m : mergesNode) {
            if (m.isTextual()) {
                String line = m.asText();
                index++;
                if (line.startsWith("#version")) continue;
                String[] parts = line.split(" ", -1);
                if (parts.length != 2) {
                    throw new SeedlingException(file + ": model.merges[" + (index - 1) + "] " + HfJson.quote(line) + " is not two tokens separated by one space");
                }
                merges.add(parts);
            } else if (m.isArray() && m.size() == 2 && m.get(0).isTextual() && m.get(1).isTextual()) {
                merges.add(new String[] {m.get(0).asText(), m.get(1).asText()});
                index++;
            } else {
                throw new SeedlingException(file + ": model.merges[" + index + "] is " + HfJson.oneLine(m.toString(), 60) + ", not \"a b\" or [\"a\", \"b\"]");
            }
        }
        return new BpeModel(vocab, Collections.unmodifiableList(merges), HfJson.textOr(model, "unk_token", null),
                HfJson.bool(model, "fuse_unk", false), HfJson.bool(model, "byte_fallback", false),
                HfJson.bool(model, "ignore_merges", false), HfJson.textOr(model, "continuing_subword_prefix", null),
                HfJson.textOr(model, "end_of_word_suffix", null), file);
    }

    /** Token string → id. */
    public Map<String, Integer> vocab() {
        return Collections.unmodifiableMap(vocab);
    }

    /** The token of {@code id}, or null when the vocab has no such id. */
    public String token(int id) {
        return id >= 0 && id < idToToken.length ? idToToken[id] : null;
    }

    /** One past the largest id of the vocab. */
    public int size() {
        return idToToken.length;
    }

    /** Merge pairs in rank order. */
    public List<String[]> merges() {
        return merges;
    }

    /** A growable int list the model appends ids to. */
    public static final class IntList {
        public int[] data = new int[64];
        public int size;

        public void add(int v) {
            if (size == data.length) data = Arrays.copyOf(data, size * 2);
            data[size++] = v;
        }

        void addAll(int[] vs) {
            if (size + vs.length > data.length) data = Arrays.copyOf(data, Math.max(size + vs.length, size * 2));
            System.arraycopy(vs, 0, data, size, vs.length);
            size += vs.length;
        }

        public int[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }

    /** Appends the ids of one pre-tokenized piece to {@code out}. */
    public void tokenize(String piece, IntList out) {
        if (piece.isEmpty()) return;
        if (ignoreMerges) {
            Integer id = vocab.get(piece);
            if (id != null) {
                out.add(id);
                return;
            }
        }
        if (piece.length() < CACHE_MAX_CHARS) {
            int[] hit = cache.get(piece);
            if (hit == null) {
                hit = mergeWord(piece);
                if (cache.size() >= CACHE_MAX_ENTRIES) cache.clear();
                cache.put(piece, hit);
            }
            out.addAll(hit);
        } else {
            out.addAll(mergeWord(piece));
        }
    }

    /** {@code merge_word} then {@code merge_all}: the ids of one piece. */
    int[] mergeWord(String w) {
        int n = w.length();
        int[] sym = new int[n + 4]; // symbol ids; byte fallback can add up to 4 per char, grown below
        int count = 0;
        int unk = -1; // pending unknown symbol (HF keeps it until a known one or the end comes)
        for (int i = 0; i < n; ) {
            int cp = w.codePointAt(i);
            int next = i + Character.charCount(cp);
            boolean first = i == 0, last = next == n;
            int id;
            String s = null;
            if (prefix == null && suffix == null && cp < 0x10000) {
                id = bmpIds[cp];
            } else {
                s = w.substring(i, next);
                if (!first && prefix != null) s = prefix + s;
                if (last && suffix != null) s = s + suffix;
                Integer v = vocab.get(s);
                id = v == null ? -1 : v;
            }
            if (id >= 0) {
                if (unk >= 0) {
                    if (count == sym.length) sym = Arrays.copyOf(sym, count * 2);
                    sym[count++] = unk;
                    unk = -1;
                }
                if (count == sym.length) sym = Arrays.copyOf(sym, count * 2);
                sym[count++] = id;
            } else {
                boolean done = false;
                if (byteFallback) {
                    if (s == null) s = w.substring(i, next);
                    byte[] bytes = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    boolean all = true;
                    for (byte b : bytes) if (byteIds[b & 0xFF] < 0) all = false;
                    if (all) {
                        // HF adds the byte tokens without flushing a pending unknown first
                        for (byte b : bytes) {
                            if (count == sym.length) sym = Arrays.copyOf(sym, count * 2);
                            sym[count++] = byteIds[b & 0xFF];
                        }
                        done = true;
                    }
                }
                if (!done && unkToken != null) {
                    if (unkId < 0) throw new SeedlingException("BPE unk_token " + HfJson.quote(unkToken) + " is not in the vocab");
                    if (unk >= 0 && !fuseUnk) {
                        if (count == sym.length) sym = Arrays.copyOf(sym, count * 2);
                        sym[count++] = unk;
                    }
                    unk = unkId;
                }
            }
            i = next;
        }
        if (unk >= 0) {
            if (count == sym.length) sym = Arrays.copyOf(sym, count * 2);
            sym[count++] = unk;
        }
        return mergeAll(sym, count);
    }

    /** Applies the merges to symbols {@code c[0, n)}; returns the final ids. */
    private int[] mergeAll(int[] c, int n) {
        if (n < 2) return Arrays.copyOf(c, n);
        int[] prev = new int[n], next = new int[n];
        boolean[] gone = new boolean[n];
        for (int i = 0; i < n; i++) {
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        Heap heap = new Heap(n);
        for (int i = 0; i + 1 < n; i++) {
            long m = mergeMap.get(((long) c[i] << 32) | c[i + 1]);
            if (m >= 0) heap.push((int) (m >>> 32), i, (int) m);
        }
        int alive = n;
        while (heap.size > 0) {
            int pos = heap.topPos(), newId = heap.topNew();
            heap.pop();
            if (gone[pos]) continue;
            int right = next[pos];
            if (right < 0) continue;
            long cur = mergeMap.get(((long) c[pos] << 32) | c[right]);
            if (cur < 0 || (int) cur != newId) continue; // stale entry
            c[pos] = newId;
            gone[right] = true;
            alive--;
            int after = next[right];
            next[pos] = after;
            if (after >= 0) prev[after] = pos;
            int before = prev[pos];
            if (before >= 0) {
                long m = mergeMap.get(((long) c[before] << 32) | c[pos]);
                if (m >= 0) heap.push((int) (m >>> 32), before, (int) m);
            }
            if (after >= 0) {
                long m = mergeMap.get(((long) c[pos] << 32) | c[after]);
                if (m >= 0) heap.push((int) (m >>> 32), pos, (int) m);
            }
        }
        int[] out = new int[alive];
        int k = 0;
        for (int i = 0; i >= 0; i = next[i]) out[k++] = c[i];
        return out;
    }

    /** A binary min-heap of merge candidates ordered by (rank, position), as HF's {@code Merge} ordering. */
    private static final class Heap {
        int[] rank, pos, newId;
        int size;

        Heap(int cap) {
            cap = Math.max(cap, 4);
            rank = new int[cap];
            pos = new int[cap];
            newId = new int[cap];
        }

        int topPos() {
            return pos[0];
        }

        int topNew() {
            return newId[0];
        }

        private boolean less(int r1, int p1, int r2, int p2) {
            return r1 < r2 || (r1 == r2 && p1 < p2);
        }

        void push(int r, int p, int nid) {
            if (size == rank.length) {
                rank = Arrays.copyOf(rank, size * 2);
                pos = Arrays.copyOf(pos, size * 2);
                newId = Arrays.copyOf(newId, size * 2);
            }
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (!less(r, p, rank[parent], pos[parent])) break;
                rank[i] = rank[parent];
                pos[i] = pos[parent];
                newId[i] = newId[parent];
                i = parent;
            }
            rank[i] = r;
            pos[i] = p;
            newId[i] = nid;
        }

        void pop() {
            size--;
            if (size == 0) return;
            int r = rank[size], p = pos[size], nid = newId[size];
            int i = 0;
            while (true) {
                int l = 2 * i + 1;
                if (l >= size) break;
                int m = l;
                if (l + 1 < size && less(rank[l + 1], pos[l + 1], rank[l], pos[l])) m = l + 1;
                if (!less(rank[m], pos[m], r, p)) break;
                rank[i] = rank[m];
                pos[i] = pos[m];
                newId[i] = newId[m];
                i = m;
            }
            rank[i] = r;
            pos[i] = p;
            newId[i] = nid;
        }
    }

    /** Open-addressing map from non-negative long keys to non-negative long values; -1 for absent. */
    private static final class LongLongMap {
        private final long[] keys, values;
        private final int mask;

        LongLongMap(int expected) {
            int cap = Integer.highestOneBit(Math.max(4, expected) * 2) * 2;
            keys = new long[cap];
            values = new long[cap];
            Arrays.fill(keys, -1L);
            mask = cap - 1;
        }

        private int slot(long key) {
            long h = key * 0x9E3779B97F4A7C15L;
            return (int) (h ^ (h >>> 32)) & mask;
        }

        void put(long key, long value) {
            int i = slot(key);
            while (keys[i] != -1L && keys[i] != key) i = (i + 1) & mask;
            keys[i] = key;
            values[i] = value;
        }

        long get(long key) {
            int i = slot(key);
            while (true) {
                long k = keys[i];
                if (k == key) return values[i];
                if (k == -1L) return -1L;
                i = (i + 1) & mask;
            }
        }
    }
}
