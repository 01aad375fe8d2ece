package dev.seedling.data.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seedling.data.demo.DemoDomain.Equipment;
import dev.seedling.data.demo.DemoDomain.FaultCode;
import dev.seedling.tensor.SeedlingException;
import dev.seedling.testkit.SeedReporter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SeedReporter.class)
class DemoCorpusTest {
    private static final long SEED = 7L;
    private static final long SMALL = 400_000L;
    private static final Pattern CODE = Pattern.compile("E-\\d{3}");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path shared;
    static DemoCorpus.Result result;
    static Map<String, String> docs;
    static List<JsonNode> facts;
    static List<JsonNode> heldout;

    @BeforeAll
    static void generateOnce() throws IOException {
        result = DemoCorpus.generate(shared.resolve("corpus"), SMALL, SEED);
        docs = readTree(shared.resolve("corpus/docs"));
        facts = jsonl(shared.resolve("corpus/facts.jsonl"));
        heldout = jsonl(shared.resolve("corpus/heldout_questions.jsonl"));
    }

    @Test
    void sameSeedAndSizeGiveIdenticalBytes(@TempDir Path a, @TempDir Path b) throws IOException {
        DemoCorpus.generate(a.resolve("c"), SMALL, SEED);
        DemoCorpus.generate(b.resolve("c"), SMALL, SEED);
        Map<String, byte[]> left = readBytes(a.resolve("c")), right = readBytes(b.resolve("c"));
        assertThat(right.keySet()).containsExactlyElementsOf(left.keySet());
        for (String k : left.keySet()) assertThat(right.get(k)).as(k).isEqualTo(left.get(k));
        assertThat(left).containsKeys("facts.jsonl", "heldout_questions.jsonl");
    }

    @Test
    void anotherSeedGivesAnotherWorld(@TempDir Path a) throws IOException {
        DemoCorpus.generate(a.resolve("c"), 50_000, SEED + 1);
        assertThat(Files.readString(a.resolve("c/facts.jsonl")))
                .isNotEqualTo(Files.readString(shared.resolve("corpus/facts.jsonl")));
    }

    @Test
    void documentsReachTheTargetSizeWithinOneDocument(@TempDir Path dir) throws IOException {
        long target = DemoCorpus.DEFAULT_TARGET_BYTES;
        long t0 = System.nanoTime();
        DemoCorpus.Result r = DemoCorpus.generate(dir.resolve("c"), target, SEED);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("demo corpus: %d documents, %d bytes, %d facts in %.2f s%n", r.documents(), r.bytes(),
                r.facts(), seconds);
        assertThat(r.bytes()).isBetween(target, target + 30_000);
        long onDisk = 0;
        int files = 0;
        try (Stream<Path> s = Files.walk(dir.resolve("c/docs"))) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                onDisk += Files.size(p);
                files++;
            }
        }
        assertThat(onDisk).isEqualTo(r.bytes());
        assertThat(files).isEqualTo(r.documents());
        assertThat(seconds).as("generation time").isLessThan(10);
    }

    @Test
    void theWorldHasADozenModelsWithWellFormedFaults() {
        DemoDomain world = DemoDomain.create(SEED);
        assertThat(world.equipment()).hasSize(12);
        assertThat(world.equipment().stream().map(Equipment::brand).distinct()).hasSize(12);
        for (Equipment e : world.equipment()) {
            assertThat(e.faults()).hasSizeGreaterThanOrEqualTo(4);
            for (FaultCode f : e.faults()) {
                assertThat(f.steps()).hasSizeBetween(3, 7);
                assertThat(f.steps()).anyMatch(s -> s.contains(f.value()));
                assertThat(f.symptoms()).hasSizeBetween(2, 3);
                assertThat(f.tools()).isNotEmpty();
            }
        }
    }

    @Test
    void factsFileIsSortedWellFormedAndMatchesTheResult() {
        assertThat(facts).hasSize(result.facts()).hasSizeGreaterThan(300);
        assertThat(heldout).hasSize(result.heldoutQuestions()).hasSize(facts.size());
        List<String> ids = facts.stream().map(f -> f.get("id").asText()).toList();
        assertThat(ids).isSorted().doesNotHaveDuplicates();
        Set<String> kinds = Set.of("spec", "fault_meaning", "fault_cause", "fault_component", "fault_symptom", "repair_value");
        for (JsonNode f : facts) {
            assertThat(kinds).contains(f.get("kind").asText());
            assertThat(f.get("question").asText()).endsWith("?");
            assertThat(f.get("answer").asText()).isNotBlank();
            assertThat(f.has("code")).isEqualTo(!f.get("kind").asText().equals("spec"));
        }
    }

    @Test
    void everyFactIsStatedInADocumentAboutIt() {
        assertFactsStated(facts, docs);
    }

    @Test
    void theReferenceDocumentsAloneStateEveryFactForAnySeed(@TempDir Path dir) throws IOException {
        for (long seed = 100; seed < 106; seed++) {
            Path out = dir.resolve("s" + seed);
            DemoCorpus.Result r = DemoCorpus.generate(out, 1, seed);
            assertThat(r.documents()).as("only the reference set: 4 per model").isEqualTo(48);
            assertFactsStated(jsonl(out.resolve("facts.jsonl")), readTree(out.resolve("docs")));
        }
    }

    private static void assertFactsStated(List<JsonNode> facts, Map<String, String> docs) {
        for (JsonNode f : facts) {
            String key = f.has("code") ? f.get("code").asText() : f.get("equipment").asText();
            String answer = f.get("answer").asText();
            boolean stated = docs.values().stream().anyMatch(t -> t.contains(key) && t.contains(answer));
            assertThat(stated).as("%s: '%s' in a document mentioning %s", f.get("id").asText(), answer, key).isTrue();
            if (f.get("kind").asText().equals("fault_cause")) {
                boolean sameLine = docs.values().stream().flatMap(String::lines)
                        .anyMatch(l -> l.contains(key) && l.contains(answer));
                assertThat(sameLine).as("%s stated on one line with its cause", key).isTrue();
            }
        }
    }

    @Test
    void aFaultCodeMeansOneThingEverywhere() {
        Map<String, Set<String>> causes = new TreeMap<>(), equipment = new TreeMap<>();
        for (JsonNode f : facts) {
            if (!f.has("code")) continue;
            String code = f.get("code").asText();
            equipment.computeIfAbsent(code, k -> new TreeSet<>()).add(f.get("equipment").asText());
            if (f.get("kind").asText().equals("fault_cause"))
                causes.computeIfAbsent(code, k -> new TreeSet<>()).add(f.get("answer").asText());
        }
        assertThat(causes).isNotEmpty();
        causes.forEach((code, c) -> assertThat(c).as(code).hasSize(1));
        equipment.forEach((code, e) -> assertThat(e).as(code + " belongs to one model").hasSize(1));
        Map<String, String> causeOf = new LinkedHashMap<>();
        causes.forEach((code, c) -> causeOf.put(code, c.iterator().next()));
        int checked = 0;
        for (Map.Entry<String, String> d : docs.entrySet()) {
            for (String line : d.getValue().lines().toList()) {
                List<String> codes = codesIn(line);
                if (codes.size() != 1) continue;
                String own = causeOf.get(codes.getFirst());
                assertThat(own).as("%s in %s is a known code", codes.getFirst(), d.getKey()).isNotNull();
                for (String other : causeOf.values()) {
                    if (!other.equals(own) && !own.contains(other))
                        assertThat(line).as("%s: a line about %s", d.getKey(), codes.getFirst()).doesNotContain(other);
                }
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(1000);
    }

    @Test
    void heldoutQuestionsAskAboutKnownFactsInNewWords() {
        Map<String, JsonNode> byId = new TreeMap<>();
        for (JsonNode f : facts) byId.put(f.get("id").asText(), f);
        String all = String.join("\n", docs.values());
        for (JsonNode h : heldout) {
            JsonNode f = byId.get(h.get("fact_id").asText());
            assertThat(f).as(h.get("id").asText()).isNotNull();
            assertThat(h.get("answer").asText()).isEqualTo(f.get("answer").asText());
            assertThat(h.get("question").asText()).isNotEqualTo(f.get("question").asText());
            assertThat(all).as("held-out question in the corpus").doesNotContain(h.get("question").asText());
        }
    }

    @Test
    void documentsComeInEveryKind() {
        for (String kind : List.of("manuals", "specs", "faults", "faq", "logs", "incidents", "bulletins"))
            assertThat(docs.keySet()).as(kind).anyMatch(p -> p.startsWith(kind + "/"));
        assertThat(result.documents()).isEqualTo(docs.size());
    }

    @Test
    void refusesAFolderThatIsNotEmpty(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("keep.txt"), "mine");
        assertThatThrownBy(() -> DemoCorpus.generate(dir, 10_000, SEED))
                .isInstanceOf(SeedlingException.class)
                .hasMessageContaining("is not empty; choose a new folder");
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("keep.txt");
        }
        assertThatThrownBy(() -> DemoCorpus.generate(dir.resolve("keep.txt"), 10_000, SEED))
                .isInstanceOf(SeedlingException.class);
        assertThatThrownBy(() -> DemoCorpus.generate(dir.resolve("x"), 0, SEED)).isInstanceOf(SeedlingException.class);
    }

    @Test
    void acceptsAnExistingEmptyFolder(@TempDir Path dir) throws IOException {
        Path out = Files.createDirectory(dir.resolve("empty"));
        DemoCorpus.Result r = DemoCorpus.generate(out, 10_000, SEED);
        assertThat(r.documents()).isPositive();
        assertThat(out.resolve("facts.jsonl")).isRegularFile();
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.toList()).as("no partial folder left behind").containsExactly(out);
        }
    }

    private static List<String> codesIn(String line) {
        List<String> out = new ArrayList<>();
        Matcher m = CODE.matcher(line);
        while (m.find()) if (!out.contains(m.group())) out.add(m.group());
        return out;
    }

    private static Map<String, String> readTree(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, byte[]> e : readBytes(root).entrySet())
            out.put(e.getKey(), new String(e.getValue(), StandardCharsets.UTF_8));
        return out;
    }

    private static Map<String, byte[]> readBytes(Path root) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList())
                out.put(root.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
        }
        return out;
    }

    private static List<JsonNode> jsonl(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) out.add(JSON.readTree(line));
        return out;
    }
}
