package dev.seedling.data.demo;

import dev.seedling.data.demo.DemoDomain.Equipment;
import dev.seedling.data.demo.DemoDomain.Fact;
import dev.seedling.data.demo.DemoDomain.HeldoutQuestion;
import dev.seedling.data.demo.DemoRenderers.Doc;
import dev.seedling.tensor.SeedlingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Writes the embedded demo corpus: a fictitious but self-consistent industrial-diagnostics document set (service
 * manuals, specification sheets, fault-code tables, FAQs, maintenance logs, incident reports, service bulletins)
 * generated from a seeded {@link DemoDomain}, plus the ground truth a trained model can be measured against.
 *
 * <p>Layout of {@code outDir}:
 * <pre>
 *   docs/{manuals,specs,faults,faq,logs,incidents,bulletins}/*.md|*.txt   one document per file
 *   facts.jsonl              {"id","equipment","code"?,"question","answer","kind"}, sorted by id
 *   heldout_questions.jsonl  {"id","fact_id","equipment","question","answer","kind"}, one per fact
 * </pre>
 * First one set of reference documents per model (specification sheet, fault-code table, service manual, full FAQ)
 * states every fact; then logs, incident reports, bulletins, charts and short FAQs follow until the documents
 * reach {@code targetBytes}. The same seed and size always give byte-identical output; the world itself depends on
 * the seed only, so a larger corpus states the same facts as a smaller one.
 */
public final class DemoCorpus {
    /** The corpus size the README's demo uses (about 3 MB of documents). */
    public static final long DEFAULT_TARGET_BYTES = 3_000_000L;
    /** The seed the README's demo uses. */
    public static final long DEFAULT_SEED = 1234L;

    /**
     * What {@link #generate} wrote.
     *
     * @param outDir            the output folder
     * @param documents         number of document files under {@code docs/}
     * @param bytes             total size of those documents in bytes (UTF-8)
     * @param facts             lines in {@code facts.jsonl}
     * @param heldoutQuestions  lines in {@code heldout_questions.jsonl}
     */
    public record Result(Path outDir, int documents, long bytes, int facts, int heldoutQuestions) {}

    private DemoCorpus() {}

    /** {@link #generate(Path, long, long)} with {@link #DEFAULT_TARGET_BYTES} and {@link #DEFAULT_SEED}. */
    public static Result generate(Path outDir) {
        return generate(outDir, DEFAULT_TARGET_BYTES, DEFAULT_SEED);
    }

    /**
     * Generates the corpus into {@code outDir}, which must be absent or empty. The files are written into a
     * hidden sibling folder and moved into place at the end, so a failed run leaves {@code outDir} as it was.
     *
     * @param outDir      the folder to create (or an existing empty one)
     * @param targetBytes documents are added until their total size reaches this (the reference set is always
     *                    written in full, about 140 KB, even when the target is smaller)
     * @param seed        selects the world and the wording
     * @throws SeedlingException if {@code outDir} is a file or a non-empty folder, if {@code targetBytes} is not
     *                           positive, or if the files cannot be written
     */
    public static Result generate(Path outDir, long targetBytes, long seed) {
        if (targetBytes <= 0)
            throw new SeedlingException("demo corpus size must be positive, got " + targetBytes + " bytes");
        Path out = outDir.toAbsolutePath().normalize();
        checkTarget(out);
        Path tmp = null;
        try {
            Files.createDirectories(out.getParent());
            tmp = Files.createTempDirectory(out.getParent(), "." + out.getFileName() + ".partial-");
            Result r = write(tmp, targetBytes, seed);
            checkTarget(out);
            if (Files.isDirectory(out)) Files.delete(out);
            Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
            return new Result(outDir, r.documents(), r.bytes(), r.facts(), r.heldoutQuestions());
        } catch (DirectoryNotEmptyException e) {
            throw notEmpty(out);
        } catch (IOException e) {
            throw new SeedlingException("cannot write the demo corpus to " + out + ": " + e
                    + "; check that the folder is writable and the disk has space", e);
        } finally {
            if (tmp != null) deleteQuietly(tmp);
        }
    }

    private static void checkTarget(Path out) {
        if (Files.exists(out) && !Files.isDirectory(out))
            throw new SeedlingException(out + " is a file, not a folder; choose a new folder for the demo corpus");
        if (Files.isDirectory(out)) {
            try (Stream<Path> s = Files.list(out)) {
                if (s.findAny().isPresent()) throw notEmpty(out);
            } catch (IOException e) {
                throw new SeedlingException("cannot read " + out + ": " + e, e);
            }
        }
    }

    private static SeedlingException notEmpty(Path out) {
        return new SeedlingException(out + " is not empty; choose a new folder for the demo corpus");
    }

    private static Result write(Path dir, long targetBytes, long seed) throws IOException {
        DemoDomain domain = DemoDomain.create(seed);
        DemoRenderers render = new DemoRenderers(domain, new SplittableRandom(seed ^ 0x632BE59BD9B4E019L));
        SplittableRandom pick = new SplittableRandom(seed ^ 0x2545F4914F6CDD1DL);
        Writer w = new Writer(dir);
        for (Equipment e : domain.equipment()) {
            w.add(render.specSheet(e));
            w.add(render.faultTable(e));
            w.add(render.serviceManual(e));
            w.add(render.faq(e, true));
        }
        List<Equipment> eq = domain.equipment();
        while (w.bytes < targetBytes) {
            Equipment e = DemoDomain.pick(eq, pick);
            int roll = pick.nextInt(100);
            Doc d;
            if (roll < 42) d = render.maintenanceLog(e);
            else if (roll < 67) d = render.incidentReport(e);
            else if (roll < 79) d = render.bulletin(e);
            else if (roll < 89) d = render.faq(e, false);
            else if (roll < 95) d = render.troubleshootingChart(e);
            else d = render.specSheet(e);
            w.add(d);
        }
        List<Fact> facts = domain.facts();
        StringBuilder fj = new StringBuilder();
        for (Fact f : facts) {
            fj.append("{\"id\":").append(json(f.id())).append(",\"equipment\":").append(json(f.equipment()));
            if (f.code() != null) fj.append(",\"code\":").append(json(f.code()));
            fj.append(",\"question\":").append(json(f.question())).append(",\"answer\":").append(json(f.answer()))
                    .append(",\"kind\":").append(json(f.kind())).append("}\n");
        }
        Files.writeString(dir.resolve("facts.jsonl"), fj, StandardCharsets.UTF_8);
        List<HeldoutQuestion> held = domain.heldoutQuestions();
        StringBuilder hj = new StringBuilder();
        for (HeldoutQuestion h : held) {
            hj.append("{\"id\":").append(json(h.id())).append(",\"fact_id\":").append(json(h.factId()))
                    .append(",\"equipment\":").append(json(h.equipment())).append(",\"question\":").append(json(h.question()))
                    .append(",\"answer\":").append(json(h.answer())).append(",\"kind\":").append(json(h.kind())).append("}\n");
        }
        Files.writeString(dir.resolve("heldout_questions.jsonl"), hj, StandardCharsets.UTF_8);
        return new Result(dir, w.documents, w.bytes, facts.size(), held.size());
    }

    /** Writes documents and counts them; creates each sub-folder once. */
    private static final class Writer {
        final Path dir;
        final TreeSet<String> folders = new TreeSet<>();
        int documents;
        long bytes;

        Writer(Path dir) {
            this.dir = dir;
        }

        void add(Doc d) throws IOException {
            Path p = dir.resolve(d.path());
            if (folders.add(p.getParent().toString())) Files.createDirectories(p.getParent());
            byte[] data = d.text().getBytes(StandardCharsets.UTF_8);
            Files.write(p, data);
            documents++;
            bytes += data.length;
        }
    }

    static String json(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) b.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }

    private static void deleteQuietly(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort: a leftover hidden .partial folder is harmless
        }
    }
}
