package dev.seedling.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Small English-like text corpora for training tests, and folder snapshots for "nothing was overwritten" checks. */
public final class TextFixtures {
    private TextFixtures() {}

    private static final String[] SUBJECTS = {"The pump", "A small valve", "The engineer", "Our old rotor",
            "The seal", "Every morning the operator", "The blue tank", "A careful inspector", "The river", "My friend"};
    private static final String[] VERBS = {"checks", "opens", "turns", "holds", "carries", "watches", "repairs",
            "cleans", "measures", "follows"};
    private static final String[] OBJECTS = {"the pressure gauge", "a heavy door", "the water line", "two bolts",
            "the night shift", "a quiet garden", "the long report", "every filter", "the cold pipe", "a red light"};
    private static final String[] TAILS = {"before lunch", "with great care", "in the rain", "after the storm",
            "near the station", "without a sound", "for the third time", "at dawn", "again and again", "slowly"};

    /** One English-like sentence from {@code r}. */
    public static String sentence(SplittableRandom r) {
        return SUBJECTS[r.nextInt(SUBJECTS.length)] + " " + VERBS[r.nextInt(VERBS.length)] + " "
                + OBJECTS[r.nextInt(OBJECTS.length)] + " " + TAILS[r.nextInt(TAILS.length)] + ".";
    }

    /** Writes {@code docs} documents of roughly {@code bytesPerDoc} bytes each as {@code doc-NN.txt} into {@code dir}. */
    public static Path corpus(Path dir, SplittableRandom r, int docs, int bytesPerDoc) {
        try {
            Files.createDirectories(dir);
            for (int d = 0; d < docs; d++) {
                StringBuilder sb = new StringBuilder();
                while (sb.length() < bytesPerDoc) sb.append(sentence(r)).append(r.nextInt(5) == 0 ? "\n\n" : " ");
                Files.writeString(dir.resolve(String.format("doc-%02d.txt", d)), sb.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /** Every regular file below {@code dir} (relative path → bytes); empty when {@code dir} does not exist. */
    public static Map<String, byte[]> snapshot(Path dir) {
        Map<String, byte[]> out = new TreeMap<>();
        if (!Files.exists(dir)) return out;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) out.put(dir.relativize(p).toString(), Files.readAllBytes(p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Asserts two snapshots hold the same files with the same bytes. */
    public static void assertUnchanged(Map<String, byte[]> before, Map<String, byte[]> after) {
        assertThat(new ArrayList<>(after.keySet())).isEqualTo(new ArrayList<>(before.keySet()));
        for (String k : before.keySet()) assertThat(after.get(k)).as(k).isEqualTo(before.get(k));
    }
}
