package dev.seedling.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A 1 MB run of {@code seedling bench curate}: it works end to end and ends with its JSON line. */
class CurateBenchmarkTest {
    @TempDir
    Path tmp;

    @Test
    void smallRunEndsWithOneJsonLine() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        CurateBenchmark.run(new CurateBenchmark.Options(1, tmp.resolve("work"), false), new PrintStream(buf, true, StandardCharsets.UTF_8));
        List<String> lines = buf.toString(StandardCharsets.UTF_8).lines().toList();
        JsonNode j = new ObjectMapper().readTree(lines.getLast());
        assertThat(j.get("bench").asText()).isEqualTo("curate");
        assertThat(j.get("docs").asLong()).isGreaterThan(100);
        // the generator plants ~5% exact and ~5% near copies: dedup must find a share of the documents
        double dropped = 1 - j.get("kept_docs").asDouble() / j.get("docs").asDouble();
        assertThat(dropped).isBetween(0.03, 0.3);
        assertThat(j.get("mb_per_s").asDouble()).isPositive();
        assertThat(j.get("stage_mb_per_s_per_thread").has("near_dedup")).isTrue();
        assertThat(j.get("dedup_index_bytes_per_doc").asDouble()).isPositive();
        assertThat(tmp.resolve("work")).isEmptyDirectory(); // what it made is removed
        java.nio.file.Files.writeString(tmp.resolve("work/mine.txt"), "keep me");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CurateBenchmark.run(
                new CurateBenchmark.Options(1, tmp.resolve("work"), false), new PrintStream(new ByteArrayOutputStream())))
                .hasMessageContaining("not empty");
        assertThat(tmp.resolve("work/mine.txt")).hasContent("keep me");
    }
}
