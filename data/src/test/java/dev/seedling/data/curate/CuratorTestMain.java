package dev.seedling.data.curate;

import dev.seedling.tensor.Parallel;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs a curation in a fresh JVM (to vary the thread count). Args: {@code toy OUT SEED} runs {@link CuratorTest}'s
 * plan; {@code real OUT INPUT} runs the configured pipeline on a folder.
 */
final class CuratorTestMain {
    public static void main(String[] args) {
        Path out = Path.of(args[1]);
        if (args[0].equals("toy")) {
            Curator.run(CuratorTest.plan(CuratorTest.docs(2000, Long.parseLong(args[2]))), CuratorTest.config(out, 16), p -> { });
        } else {
            CurateConfig c = CurateConfig.defaults().withInputs(List.of(args[2]), out.toString())
                    .withRun(new CurateConfig.Run(7, 1, 3, 5));
            Curator.run(c, p -> { });
        }
        System.out.println("threads=" + Parallel.threads());
    }
}
