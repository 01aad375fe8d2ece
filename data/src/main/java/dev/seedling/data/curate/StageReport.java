package dev.seedling.data.curate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one stage did: documents in, kept, dropped, changed; a counter per reason (e.g. {@code "too_few_words"},
 * {@code "email"}); and a few examples of dropped or changed text per reason.
 *
 * <p>Thread-safe. Deterministic for any thread count: examples are the ones with the smallest document
 * {@link CurDoc#seq()}, not the first to arrive.
 */
public final class StageReport {
    /** An example of what a stage removed or changed: the document and a short excerpt. */
    public record Example(long seq, String docId, String excerpt) {}

    private static final int EXCERPT_CHARS = 300;

    private final String stage;
    private final int maxExamples;
    final LongAdder in = new LongAdder(), kept = new LongAdder(), dropped = new LongAdder(), changed = new LongAdder();
    final LongAdder bytesIn = new LongAdder(), bytesOut = new LongAdder(), nanos = new LongAdder();
    private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final Map<String, List<Example>> examples = new TreeMap<>();

    public StageReport(String stage, int maxExamples) {
        this.stage = stage;
        this.maxExamples = maxExamples;
    }

    public String stage() {
        return stage;
    }

    /** Adds {@code n} to the counter {@code key} (a drop reason, a PII type, a cluster count…). */
    public void count(String key, long n) {
        counts.computeIfAbsent(key, k -> new LongAdder()).add(n);
    }

    /** Records an example under {@code reason}; {@code text} is cut to a short excerpt. */
    public void example(String reason, CurDoc doc, String text) {
        if (maxExamples <= 0) return;
        String excerpt = text.length() <= EXCERPT_CHARS ? text : text.substring(0, EXCERPT_CHARS) + "…";
        synchronized (examples) {
            List<Example> list = examples.computeIfAbsent(reason, k -> new ArrayList<>());
            if (list.size() == maxExamples && list.getLast().seq() < doc.seq()) return;
            list.add(new Example(doc.seq(), doc.id(), excerpt));
            list.sort(Comparator.comparingLong(Example::seq));
            if (list.size() > maxExamples) list.removeLast();
        }
    }

    /** A drop: counts {@code reason} and keeps an example of the document's text. */
    public void drop(String reason, CurDoc doc) {
        count(reason, 1);
        example(reason, doc, doc.text());
    }

    /** Counters by key, sorted. */
    public Map<String, Long> counts() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** Examples by reason, sorted by reason then document order. */
    public Map<String, List<Example>> examples() {
        synchronized (examples) {
            Map<String, List<Example>> out = new TreeMap<>();
            examples.forEach((k, v) -> out.put(k, List.copyOf(v)));
            return out;
        }
    }

    public long docsIn() { return in.sum(); }
    public long docsKept() { return kept.sum(); }
    public long docsDropped() { return dropped.sum(); }
    public long docsChanged() { return changed.sum(); }
    public long bytesIn() { return bytesIn.sum(); }
    public long bytesOut() { return bytesOut.sum(); }
    public long nanos() { return nanos.sum(); }

    /**
     * Runs {@code stage} on {@code doc} and books in/kept/dropped/changed, UTF-8-ish sizes (chars) and time. The
     * pipeline calls this; stages themselves only call {@link #count}, {@link #drop} and {@link #example}.
     */
    public CurDoc run(DocStage stage, CurDoc doc) {
        long t0 = System.nanoTime();
        CurDoc out = stage.apply(doc, this);
        nanos.add(System.nanoTime() - t0);
        in.increment();
        bytesIn.add(doc.text().length());
        if (out == null) {
            dropped.increment();
        } else {
            kept.increment();
            bytesOut.add(out.text().length());
            if (out != doc && !out.text().equals(doc.text())) changed.increment();
        }
        return out;
    }
}
