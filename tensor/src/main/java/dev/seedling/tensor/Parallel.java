package dev.seedling.tensor;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The one worker pool of the engine: {@link #threads()} threads (the caller plus {@code threads()-1} daemon
 * workers), sized to the cores or to {@code -Dseedling.threads=N} / {@code SEEDLING_THREADS}.
 *
 * <p>Two ways to split work, both without allocation beyond the caller's lambda:
 * <ul>
 *   <li>{@link #forRange}: {@code [0, n)} cut into {@code threads()} contiguous chunks, chunk {@code i} always on
 *       participant {@code i} (static, for kernels whose per-thread scratch is indexed by participant);</li>
 *   <li>{@link #forEach}: tasks {@code 0..tasks-1} handed out one at a time from a shared counter (dynamic, for
 *       uneven work such as causal attention rows).</li>
 * </ul>
 * Results never depend on which thread ran a task as long as each task writes its own outputs, so a run is
 * bit-for-bit reproducible for a given thread count. A call made from inside a task runs serially on that thread
 * (no nested parallelism, no deadlock).
 */
public final class Parallel {
    /** Body of a static split: runs on participant {@code worker} over {@code [lo, hi)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int worker, int lo, int hi);
    }

    /** Body of a dynamic split: runs task number {@code task} on participant {@code worker}. */
    @FunctionalInterface
    public interface TaskBody {
        void run(int worker, int task);
    }

    private static final int THREADS = resolveThreads();
    private static final Parallel POOL = new Parallel(THREADS);

    /** How many participants every parallel call uses (callers size per-thread scratch with it). */
    public static int threads() {
        return THREADS;
    }

    /**
     * Splits {@code [0, n)} into {@code threads()} contiguous chunks (the last ones possibly empty) and runs them in
     * parallel; participant {@code i} always gets chunk {@code i}.
     */
    public static void forRange(int n, RangeBody body) {
        if (n <= 0) return;
        if (THREADS == 1 || n == 1 || IN_TASK.get()) {
            body.run(0, 0, n);
            return;
        }
        POOL.run(n, body, null, 0);
    }

    /** Runs {@code tasks} independent tasks, handed out dynamically to the participants. */
    public static void forEach(int tasks, TaskBody body) {
        if (tasks <= 0) return;
        if (THREADS == 1 || tasks == 1 || IN_TASK.get()) {
            for (int t = 0; t < tasks; t++) body.run(0, t);
            return;
        }
        POOL.run(0, null, body, tasks);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // implementation: a generation counter wakes the workers; each participant runs its share; the caller waits for
    // the countdown. Workers spin briefly before parking so back-to-back kernels do not pay a wake-up each.

    private static final ThreadLocal<Boolean> IN_TASK = ThreadLocal.withInitial(() -> Boolean.FALSE);
    private static final long SPIN_NANOS = 50_000;

    private final int participants;
    private final Thread[] workers;
    private final Object submitLock = new Object();
    private volatile int generation;
    private final AtomicInteger remaining = new AtomicInteger();
    private final AtomicInteger nextTask = new AtomicInteger();
    private volatile Thread caller;
    // the current job (published by the volatile write of generation)
    private int jobN;
    private RangeBody jobRange;
    private TaskBody jobTask;
    private int jobTasks;
    private volatile Throwable failure;

    private Parallel(int participants) {
        this.participants = participants;
        this.workers = new Thread[participants - 1];
        for (int i = 0; i < workers.length; i++) {
            final int id = i + 1;
            Thread t = new Thread(() -> workerLoop(id), "seedling-worker-" + id);
            t.setDaemon(true);
            workers[i] = t;
            t.start();
        }
    }

    private void run(int n, RangeBody range, TaskBody task, int tasks) {
        synchronized (submitLock) {
            jobN = n;
            jobRange = range;
            jobTask = task;
            jobTasks = tasks;
            failure = null;
            nextTask.set(0);
            remaining.set(participants - 1);
            caller = Thread.currentThread();
            generation = generation + 1; // publishes the job
            for (Thread w : workers) LockSupport.unpark(w);
            IN_TASK.set(Boolean.TRUE);
            try {
                share(0);
            } catch (Throwable t) {
                failure = t;
            } finally {
                IN_TASK.set(Boolean.FALSE);
            }
            long start = System.nanoTime();
            while (remaining.get() > 0) {
                if (System.nanoTime() - start < SPIN_NANOS) Thread.onSpinWait();
                else LockSupport.parkNanos(this, 100_000);
            }
            jobRange = null;
            jobTask = null;
            Throwable f = failure;
            if (f instanceof RuntimeException re) throw re;
            if (f instanceof Error e) throw e;
            if (f != null) throw new IllegalStateException(f);
        }
    }

    private void share(int id) {
        if (jobRange != null) {
            int n = jobN;
            long lo = (long) n * id / participants, hi = (long) n * (id + 1) / participants;
            if (hi > lo) jobRange.run(id, (int) lo, (int) hi);
        } else {
            int t;
            while ((t = nextTask.getAndIncrement()) < jobTasks) jobTask.run(id, t);
        }
    }

    private void workerLoop(int id) {
        IN_TASK.set(Boolean.TRUE);
        int seen = 0;
        while (true) {
            long start = System.nanoTime();
            while (generation == seen) {
                if (System.nanoTime() - start < SPIN_NANOS) Thread.onSpinWait();
                else LockSupport.park(this);
            }
            seen = generation;
            try {
                share(id);
            } catch (Throwable t) {
                failure = t;
            }
            if (remaining.decrementAndGet() == 0) LockSupport.unpark(caller);
        }
    }

    private static int resolveThreads() {
        String p = System.getProperty("seedling.threads");
        if (p == null || p.isBlank()) p = System.getenv("SEEDLING_THREADS");
        int n = Runtime.getRuntime().availableProcessors();
        if (p != null && !p.isBlank()) {
            try {
                n = Integer.parseInt(p.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("seedling.threads must be a positive integer, got '" + p + "'");
            }
        }
        return Math.max(1, n);
    }
}
