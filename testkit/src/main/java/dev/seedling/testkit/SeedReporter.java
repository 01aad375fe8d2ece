package dev.seedling.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/** JUnit extension: on failure, prints the seed that replays the test ({@code @ExtendWith(SeedReporter.class)}). */
public final class SeedReporter implements TestWatcher {
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        System.err.println("[seedling] " + context.getDisplayName() + " failed; replay with -Dseedling.seed=" + Seeds.base());
    }
}
