package dev.seedling.data.curate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What ingestion saw: files read, documents produced, bytes, files skipped by reason (with example paths), and
 * notes (counters that are not skips: {@code "encoding:windows-1252"}, {@code "truncated"},
 * {@code "jsonl_bad_line"}…). Skip reasons: {@code binary}, {@code too_large}, {@code unsupported_extension},
 * {@code pdf_parse_error}, {@code office_parse_error}, {@code json_parse_error}, {@code encrypted},
 * {@code zip_bomb}, {@code zip_error}, {@code empty}, {@code unreadable}, {@code out_of_memory}, {@code error}.
 *
 * <p>Thread-safe; deterministic for any thread count (examples are the smallest paths, not the first seen).
 */
public final class IngestStats {
    private final int maxExamples;
    private final LongAdder files = new LongAdder(), filesRead = new LongAdder(), docs = new LongAdder();
    private final LongAdder bytes = new LongAdder(), chars = new LongAdder();
    private final ConcurrentHashMap<String, LongAdder> skipped = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> notes = new ConcurrentHashMap<>();
    private final Map<String, List<String>> examples = new TreeMap<>();

    public IngestStats(int maxExamples) {
        this.maxExamples = maxExamples;
    }

    /** Counts a file skipped for {@code reason}, keeping {@code path} among the examples if it sorts early. */
    public void skip(String reason, String path) {
        skipped.computeIfAbsent(reason, k -> new LongAdder()).increment();
        if (maxExamples == 0) return;
        synchronized (examples) {
            List<String> list = examples.computeIfAbsent(reason, k -> new ArrayList<>());
            int at = Collections.binarySearch(list, path);
            if (at >= 0) return;
            at = -at - 1;
            if (at >= maxExamples) return;
            list.add(at, path);
            if (list.size() > maxExamples) list.removeLast();
        }
    }

    /** Adds {@code n} to the note counter {@code key}. */
    public void note(String key, long n) {
        notes.computeIfAbsent(key, k -> new LongAdder()).add(n);
    }

    void file() {
        files.increment();
    }

    void read(long fileBytes) {
        filesRead.increment();
        bytes.add(fileBytes);
    }

    void doc(int textChars) {
        docs.increment();
        chars.add(textChars);
    }

    /** Files looked at (every file listed, whether read or skipped). */
    public long files() { return files.sum(); }
    /** Files that produced at least one document. */
    public long filesRead() { return filesRead.sum(); }
    /** Documents produced. */
    public long documents() { return docs.sum(); }
    /** Bytes of the files (or JSONL lines) that produced documents. */
    public long bytes() { return bytes.sum(); }
    /** Chars of the produced documents' text. */
    public long chars() { return chars.sum(); }

    /** Skipped files by reason, sorted. */
    public Map<String, Long> skipped() {
        Map<String, Long> out = new TreeMap<>();
        skipped.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    public long skippedTotal() {
        long n = 0;
        for (LongAdder a : skipped.values()) n += a.sum();
        return n;
    }

    /** Up to {@code maxExamples} smallest relative paths per skip reason. */
    public Map<String, List<String>> skipExamples() {
        synchronized (examples) {
            Map<String, List<String>> out = new TreeMap<>();
            examples.forEach((k, v) -> out.put(k, List.copyOf(v)));
            return out;
        }
    }

    /** Note counters, sorted. */
    public Map<String, Long> notes() {
        Map<String, Long> out = new TreeMap<>();
        notes.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
