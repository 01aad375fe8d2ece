package dev.seedling.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seedling.data.demo.DemoCorpus;
import dev.seedling.testkit.SeedReporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code seedling curate} end to end on a small mixed folder built here. */
@ExtendWith(SeedReporter.class)
class CurateCommandTest {
    @TempDir
    Path tmp;

    static final String HEADER = "ACME Diagnostics GmbH - Confidential - Controlled copy";

    /**
     * The demo domain's documents, plus: a confidential header line on every manual, an exact and a near duplicate,
     * personal data in a log, a German report, an HTML page and a binary file. Returns the docs folder.
     */
    static Path folder(Path dir) throws IOException {
        DemoCorpus.generate(dir.resolve("demo"), 200_000, 7);
        Path docs = dir.resolve("demo/docs");
        List<Path> manuals;
        try (Stream<Path> s = Files.list(docs.resolve("manuals"))) {
            manuals = s.sorted().toList();
        }
        assertThat(manuals.size()).isGreaterThanOrEqualTo(5);
        for (Path m : manuals) Files.writeString(m, HEADER + "\n\n" + Files.readString(m));
        Path extra = Files.createDirectories(docs.resolve("zz"));
        Files.writeString(docs.resolve("manuals/zz-copy.md"), Files.readString(manuals.get(0)));
        Files.writeString(docs.resolve("manuals/zz-near.md"), Files.readString(manuals.get(1)).replaceFirst("\\.", ". Note well."));
        Path log;
        try (Stream<Path> s = Files.list(docs.resolve("logs"))) {
            log = s.sorted().findFirst().orElseThrow();
        }
        Files.writeString(log, Files.readString(log) + "\nReported by jane.doe@example.com, phone +49 30 1234567, from host"
                + " 192.168.10.23 with token ghp_Z8x2Kq9LmN4pR7sT1vW3yB5dF6hJ0cE2gA4i. Firmware version 2.3.1.4 was installed.\n");
        Files.writeString(extra.resolve("bericht.txt"), "Die Pumpe wurde am Montag von unserem Techniker geprüft. Das Ventil "
                + "war nach vielen Betriebsstunden stark verschlissen, und die Dichtung zeigte deutliche Risse. Der Techniker "
                + "hat daraufhin die Dichtung und das Lager gewechselt und die Anlage danach wieder gestartet, weil der Druck "
                + "im System zu hoch war. Am Dienstag lief die Anlage wieder ohne Störung, und der Kunde war mit der "
                + "Reparatur sehr zufrieden. Wir empfehlen, die Dichtungen in Zukunft alle sechs Monate zu prüfen.\n");
        Files.writeString(extra.resolve("page.html"), "<html><head><title>x</title></head><body><nav>Home | About | Login</nav>"
                + "<main><h1>Seal replacement on older pumps</h1><p>Older pumps of the first series use a different shaft "
                + "seal than the current models. Before you order a replacement, read the plate on the housing and compare "
                + "the serial number with the table in the appendix.</p><p>Drain the pump completely, remove the four "
                + "bolts of the cover and pull the impeller off the shaft with the puller from the tool kit. Clean the "
                + "seat carefully, because a scratch on the sealing face will make the new seal leak within days.</p>"
                + "<p>Press the new seal in by hand, never with a hammer, and refill the pump before the first start.</p>"
                + "</main><footer>(c) ACME</footer></body></html>");
        Files.write(extra.resolve("firmware.txt"), new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 3, 0});
        return docs;
    }

    static String rel(Path docs, Path p) {
        return docs.relativize(p).toString().replace('\\', '/');
    }

    @Test
    void curatesAMixedFolderIntoACorpusAndAReport() throws IOException {
        Path in = folder(tmp.resolve("in")), out = tmp.resolve("out");
        CliTest.Result r = CliTest.cli("curate", in.toString(), "--out", out.toString());
        assertThat(r.code()).as("stdout: %s%nstderr: %s", r.out(), r.err()).isZero();
        assertThat(r.out()).contains("exact_dedup").contains("near_dedup").contains("pii").contains("gopher")
                .contains("report: " + out.resolve("report.html")).contains("curated ");

        Map<String, String> docs = new LinkedHashMap<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(out.resolve("docs.jsonl"))) {
            JsonNode d = json.readTree(line);
            assertThat(d.has("source")).isTrue();
            docs.put(d.get("id").asText(), d.get("text").asText());
        }
        List<String> ids = new ArrayList<>(docs.keySet());
        assertThat(ids).isSorted(); // input order = sorted relative paths
        assertThat(ids).doesNotContain("manuals/zz-copy.md", "manuals/zz-near.md", "zz/firmware.txt");
        for (String t : docs.values()) assertThat(t).doesNotContain(HEADER).doesNotContain("jane.doe@example.com");
        String withPii = docs.entrySet().stream().filter(e -> e.getValue().contains("<EMAIL>")).map(Map.Entry::getKey)
                .findFirst().orElseThrow(() -> new AssertionError("no redacted e-mail in " + ids));
        assertThat(docs.get(withPii)).contains("<PHONE>").contains("<IP_ADDRESS>").contains("<SECRET>").contains("version 2.3.1.4");
        assertThat(ids).contains("zz/bericht.txt", "zz/page.html"); // every language is kept by default
        assertThat(docs.get("zz/page.html")).contains("Seal replacement").doesNotContain("Login");

        JsonNode report = json.readTree(out.resolve("report.json").toFile());
        assertThat(report.at("/skipped_files/binary").asLong()).isEqualTo(1);
        assertThat(report.at("/pii/email").asLong()).isEqualTo(1);
        assertThat(report.at("/languages/de").asLong()).isEqualTo(1);
        assertThat(report.at("/stages").toString()).contains("\"exact_duplicate\":1");
        assertThat(report.at("/clusters").toString()).contains("\"dropped_ids\":[\"manuals/zz-near.md\"]");
        String html = Files.readString(out.resolve("report.html"));
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<svg").contains("near_duplicate").doesNotContain("<script")
                .doesNotContain(" src=");

        // the corpus packs
        CliTest.Result p = CliTest.cli("pack", "--data", out.resolve("docs.jsonl").toString(), "--out", tmp.resolve("packed").toString());
        assertThat(p.code()).as(p.err()).isZero();

        // a re-run gives the same bytes; --languages en drops the German report
        byte[] first = Files.readAllBytes(out.resolve("docs.jsonl"));
        assertThat(CliTest.cli("curate", in.toString(), "--out", out.toString()).code()).isZero();
        assertThat(Files.readAllBytes(out.resolve("docs.jsonl"))).isEqualTo(first);
        assertThat(CliTest.cli("curate", in.toString(), "--out", out.toString(), "--languages", "en").code()).isZero();
        assertThat(Files.readString(out.resolve("docs.jsonl"))).doesNotContain("\"zz/bericht.txt\"").contains("zz/page.html");
    }

    @Test
    void flagsAndConfigFileAreResolvedAndWrittenToConfigJson() throws IOException {
        Path in = folder(tmp.resolve("in")), out = tmp.resolve("out");
        Path cfg = Files.writeString(tmp.resolve("c.json"), "{\"near_dedup\": {\"threshold\": 0.9}, \"run\": {\"examples\": 2}}");
        CliTest.Result r = CliTest.cli("curate", in.toString(), "--out", out.toString(), "--config", cfg.toString(),
                "--no-redact-email", "--languages", "en,de", "--no-near-dedup");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode c = new ObjectMapper().readTree(out.resolve("config.json").toFile());
        assertThat(c.at("/near_dedup/threshold").asDouble()).isEqualTo(0.9);
        assertThat(c.at("/near_dedup/enabled").asBoolean()).isFalse();
        assertThat(c.at("/run/examples").asInt()).isEqualTo(2);
        assertThat(c.at("/pii/types").toString()).doesNotContain("email").contains("phone");
        assertThat(c.at("/language/languages").toString()).isEqualTo("[\"en\",\"de\"]");
        assertThat(r.out()).doesNotContain("near_dedup ");
    }

    @Test
    void userMistakesAreOneLine() throws IOException {
        Path in = folder(tmp.resolve("in"));
        String line = CliTest.assertOneLineError(CliTest.cli("curate", tmp.resolve("nope").toString(), "--out", tmp.resolve("o").toString()));
        assertThat(line).contains("nope").contains("does not exist");
        Path cfg = Files.writeString(tmp.resolve("c.json"), "{\"near_dedup\": {\"treshold\": 0.9}}");
        line = CliTest.assertOneLineError(CliTest.cli("curate", in.toString(), "--out", tmp.resolve("o").toString(), "--config", cfg.toString()));
        assertThat(line).contains("unknown key 'near_dedup.treshold'").contains("threshold");
        Files.writeString(cfg, "{\"near_dedup\": {\"threshold\": 1.5}}");
        line = CliTest.assertOneLineError(CliTest.cli("curate", in.toString(), "--out", tmp.resolve("o").toString(), "--config", cfg.toString()));
        assertThat(line).contains("near_dedup.threshold = 1.5");
        line = CliTest.assertOneLineError(CliTest.cli("curate", in.toString(), "--out", tmp.resolve("o").toString(), "--keep-top", "0.5"));
        assertThat(line).contains("--seed-docs");
        line = CliTest.assertOneLineError(CliTest.cli("curate", in.toString(), "--out", in.resolve("sub").toString()));
        assertThat(line).contains("inside the input folder");
        assertThat(tmp.resolve("o")).doesNotExist();
        CliTest.Result help = CliTest.cli("curate", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("near_dedup").contains("Jaccard >= 0.8").contains("--no-redact-email");
    }
}
