package dev.seedling.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ParallelTest {
    @Test
    void forRangeCoversEveryIndexOnce() {
        for (int n : new int[] {1, 2, 3, 17, 1000}) {
            int[] hits = new int[n];
            Parallel.forRange(n, (w, lo, hi) -> {
                for (int i = lo; i < hi; i++) hits[i]++;
            });
            for (int h : hits) assertThat(h).isEqualTo(1);
        }
    }

    @Test
    void forEachRunsEveryTaskOnceAndNestedCallsRunSerially() {
        AtomicLong sum = new AtomicLong();
        Parallel.forEach(100, (w, t) -> Parallel.forRange(10, (w2, lo, hi) -> sum.addAndGet((long) t * (hi - lo))));
        assertThat(sum.get()).isEqualTo(10L * 99 * 100 / 2);
    }

    @Test
    void exceptionInATaskReachesTheCaller() {
        assertThatThrownBy(() -> Parallel.forEach(8, (w, t) -> {
            if (t == 5) throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class).hasMessage("boom");
        // the pool still works afterwards
        int[] hits = new int[4];
        Parallel.forEach(4, (w, t) -> hits[t]++);
        assertThat(hits).containsOnly(1);
    }
}
