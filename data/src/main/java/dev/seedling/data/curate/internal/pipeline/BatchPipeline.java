package dev.seedling.data.curate.internal.pipeline;

import dev.seedling.data.curate.CurDoc;
import dev.seedling.data.curate.DocStage;
import dev.seedling.data.curate.StageReport;
import dev.seedling.tensor.Parallel;
import dev.seedling.tensor.SeedlingException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Streams documents through a list of {@link DocStage}s in bounded batches, with byte-identical results for any
 * thread count.
 *
 * <p>The stages are cut into segments: maximal runs of unordered stages (run on a batch in parallel on
 * {@link Parallel}'s pool, each document independently) and of ordered stages (run on one thread, in increasing
 * {@link CurDoc#seq()}). One thread reads the input into batches, one thread per segment processes them, and the
 * calling thread hands the surviving documents to the sink in input order. Bounded queues of
 * {@link Settings#queueBatches()} batches join the threads, so memory is bounded by about
 * {@code (2 + segments) · (queueBatches + 1) · batchBytes} characters whatever the corpus size; segments work on
 * different batches at the same time.
 *
 * <p>Failures: the first exception of any thread stops every thread and is rethrown on the calling thread.
 */
public final class BatchPipeline {
    private BatchPipeline() {}

    /**
     * How documents are grouped.
     *
     * @param batchDocs    most documents in one batch
     * @param batchChars   a batch is closed once its texts hold this many characters
     * @param queueBatches batches waiting between two threads
     */
    public record Settings(int batchDocs, long batchChars, int queueBatches) {
        public static final Settings DEFAULT = new Settings(2048, 2L << 20, 2);

        public Settings {
            if (batchDocs < 1 || batchChars < 1 || queueBatches < 1) {
                throw new IllegalArgumentException("batch settings must be positive: " + batchDocs + ", " + batchChars
                        + ", " + queueBatches);
            }
        }
    }

    /** Emits every input document, in input order, to the given consumer. */
    @FunctionalInterface
    public interface Producer {
        void run(Consumer<CurDoc> sink);
    }

    /** Called for each document before any stage runs (on pool threads, concurrently: must be thread-safe). */
    @FunctionalInterface
    public interface Observer {
        void observe(CurDoc doc);
    }

    /** Receives the surviving documents in input order, on the calling thread. */
    public interface Sink {
        void accept(CurDoc doc);

        /** After each batch has been handed over (for progress). */
        default void batchDone() {}
    }

    /** A stage with the report it books into. */
    public record Step(DocStage stage, StageReport report) {}

    /** Thrown inside the reader's callback once another thread failed; an Error so that readers catching per-file
     * exceptions (to count a skipped file) do not swallow it and read on. */
    private static final class Cancelled extends Error {
        Cancelled() {
            super("cancelled", null, false, false);
        }
    }

    private static final Object END = new Object();

    private static final class Batch {
        final CurDoc[] docs;
        int size;
        long chars;

        Batch(int capacity) {
            docs = new CurDoc[capacity];
        }
    }

    private record Segment(boolean ordered, List<Step> steps) {}

    public static void run(Producer producer, Observer observer, List<Step> steps, Settings settings, Sink sink) {
        List<Segment> segments = segments(steps);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<BlockingQueue<Object>> queues = new ArrayList<>();
        for (int i = 0; i <= segments.size(); i++) queues.add(new ArrayBlockingQueue<>(settings.queueBatches()));
        List<Thread> threads = new ArrayList<>();
        threads.add(Thread.ofPlatform().name("curate-read").daemon().unstarted(() ->
                guard(failure, () -> read(producer, settings, queues.getFirst(), failure))));
        for (int i = 0; i < segments.size(); i++) {
            Segment seg = segments.get(i);
            BlockingQueue<Object> in = queues.get(i), out = queues.get(i + 1);
            Observer obs = i == 0 ? observer : null;
            threads.add(Thread.ofPlatform().name("curate-" + i).daemon().unstarted(() ->
                    guard(failure, () -> process(seg, obs, in, out, failure))));
        }
        threads.forEach(Thread::start);
        try {
            BlockingQueue<Object> last = queues.getLast();
            while (true) {
                Object o = take(last, failure);
                if (o == END) break;
                Batch b = (Batch) o;
                if (segments.isEmpty() && observer != null) {
                    for (int k = 0; k < b.size; k++) observer.observe(b.docs[k]);
                }
                for (int k = 0; k < b.size; k++) if (b.docs[k] != null) sink.accept(b.docs[k]);
                sink.batchDone();
            }
        } catch (Cancelled c) {
            // another thread failed: rethrown below
        } catch (RuntimeException | Error e) {
            failure.compareAndSet(null, e);
        } finally {
            if (failure.get() != null) {
                for (Thread t : threads) t.interrupt();
            }
            for (Thread t : threads) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failure.compareAndSet(null, e);
                }
            }
        }
        Throwable f = failure.get();
        if (f instanceof RuntimeException re) throw re;
        if (f instanceof Error e) throw e;
        if (f != null) throw new IllegalStateException("curation was interrupted", f);
    }

    private static void guard(AtomicReference<Throwable> failure, Runnable body) {
        try {
            body.run();
        } catch (Cancelled c) {
            // another thread failed first
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        }
    }

    private static List<Segment> segments(List<Step> steps) {
        List<Segment> out = new ArrayList<>();
        List<Step> current = new ArrayList<>();
        boolean ordered = false;
        for (Step s : steps) {
            if (!current.isEmpty() && s.stage().ordered() != ordered) {
                out.add(new Segment(ordered, List.copyOf(current)));
                current.clear();
            }
            ordered = s.stage().ordered();
            current.add(s);
        }
        if (!current.isEmpty()) out.add(new Segment(ordered, List.copyOf(current)));
        return out;
    }

    private static void read(Producer producer, Settings settings, BlockingQueue<Object> out,
                             AtomicReference<Throwable> failure) {
        Batch[] current = {new Batch(settings.batchDocs())};
        long[] expected = {0};
        producer.run(doc -> {
            if (failure.get() != null) throw new Cancelled();
            if (doc.seq() != expected[0]) {
                throw new IllegalStateException("the input produced document seq " + doc.seq() + " where "
                        + expected[0] + " was expected (seq must count 0, 1, 2, … in input order)");
            }
            expected[0]++;
            Batch b = current[0];
            b.docs[b.size++] = doc;
            b.chars += doc.text().length();
            if (b.size == b.docs.length || b.chars >= settings.batchChars()) {
                put(out, b, failure);
                current[0] = new Batch(settings.batchDocs());
            }
        });
        if (current[0].size > 0) put(out, current[0], failure);
        put(out, END, failure);
    }

    /** Documents per parallel task: small enough to balance uneven documents, large enough to amortise hand-out. */
    private static final int CHUNK = 8;

    private static void process(Segment seg, Observer observer, BlockingQueue<Object> in, BlockingQueue<Object> out,
                                AtomicReference<Throwable> failure) {
        while (true) {
            Object o = take(in, failure);
            if (o == END) {
                put(out, END, failure);
                return;
            }
            Batch b = (Batch) o;
            if (seg.ordered()) {
                for (int k = 0; k < b.size; k++) b.docs[k] = apply(seg.steps(), observer, b.docs[k]);
            } else {
                int tasks = (b.size + CHUNK - 1) / CHUNK;
                Parallel.forEach(tasks, (w, t) -> {
                    int hi = Math.min(b.size, (t + 1) * CHUNK);
                    for (int k = t * CHUNK; k < hi; k++) b.docs[k] = apply(seg.steps(), observer, b.docs[k]);
                });
            }
            put(out, b, failure);
        }
    }

    private static CurDoc apply(List<Step> steps, Observer observer, CurDoc doc) {
        if (doc == null) return null;
        if (observer != null) observer.observe(doc);
        for (Step s : steps) {
            try {
                doc = s.report().run(s.stage(), doc);
            } catch (SeedlingException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new IllegalStateException("stage " + s.stage().name() + " failed on document " + doc.id()
                        + ": " + e, e);
            }
            if (doc == null) return null;
        }
        return doc;
    }

    private static void put(BlockingQueue<Object> q, Object o, AtomicReference<Throwable> failure) {
        try {
            while (!q.offer(o, 50, TimeUnit.MILLISECONDS)) {
                if (failure.get() != null) throw new Cancelled();
            }
        } catch (InterruptedException e) {
            throw new Cancelled();
        }
    }

    private static Object take(BlockingQueue<Object> q, AtomicReference<Throwable> failure) {
        try {
            while (true) {
                Object o = q.poll(50, TimeUnit.MILLISECONDS);
                if (o != null) return o;
                if (failure.get() != null) throw new Cancelled();
            }
        } catch (InterruptedException e) {
            throw new Cancelled();
        }
    }
}
