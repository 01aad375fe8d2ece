package dev.seedling.data.internal;

import java.nio.file.Path;

/** Document ids from file paths: the path relative to an input root, '/'-separated on every platform. */
public final class RelativePaths {
    private RelativePaths() {}

    /** {@code p} relative to {@code root}, its parts joined by '/' (e.g. {@code manuals/pump/ch1.md}). */
    public static String slashed(Path root, Path p) {
        StringBuilder sb = new StringBuilder();
        for (Path part : root.relativize(p)) {
            if (!sb.isEmpty()) sb.append('/');
            sb.append(part);
        }
        return sb.toString();
    }
}
