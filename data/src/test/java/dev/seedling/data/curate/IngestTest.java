package dev.seedling.data.curate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seedling.data.curate.internal.extract.Skip;
import dev.seedling.data.curate.internal.extract.ZipGuard;
import dev.seedling.tensor.SeedlingException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.poi.hslf.usermodel.HSLFSlideShow;
import org.apache.poi.hslf.usermodel.HSLFTextBox;
import org.apache.poi.hssf.usermodel.HSSFWorkbook;
import org.apache.poi.poifs.crypt.EncryptionInfo;
import org.apache.poi.poifs.crypt.EncryptionMode;
import org.apache.poi.poifs.crypt.Encryptor;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;
import org.apache.poi.xslf.usermodel.XMLSlideShow;
import org.apache.poi.xslf.usermodel.XSLFSlide;
import org.apache.poi.xslf.usermodel.XSLFTextBox;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFTable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestTest {
    @TempDir
    static Path dir;
    static Path root;
    static Ingest ingest;
    static Map<String, CurDoc> docs;

    static final String HTML = """
            <!DOCTYPE html><html><head><title>T</title><style>.x{color:red}</style>
            <script>var tracking = 1;</script></head><body>
            <header><div class="logo">ACME</div><a href="/">Home</a></header>
            <nav><ul><li><a href="/a">Products</a></li><li><a href="/b">Support</a></li></ul></nav>
            <div id="cookie-banner">We use cookies to improve your experience. <button>Accept</button></div>
            <div class="content">
              <h1>Pump P-200 troubleshooting</h1>
              <p>When the pump   reports <b>E-281</b>, check the mechanical seal first.</p>
              <ul><li>Isolate the pump.</li><li>Drain the casing.</li></ul>
              <table><tr><th>Code</th><th>Meaning</th></tr><tr><td>E-281</td><td>Seal leak</td></tr></table>
              <pre>torque  = 30 N·m
              check   = yes</pre>
              <div class="links"><a href="/x">Related one</a> <a href="/y">Related two</a> <a href="/z">Related three</a></div>
            </div>
            <footer>Copyright 2024 ACME Corp. All rights reserved.</footer>
            </body></html>
            """;

    @BeforeAll
    static void build() throws Exception {
        root = dir.resolve("in");
        write("manuals/a.txt", "Plain text manual.\nSecond line.".getBytes(StandardCharsets.UTF_8));
        write("manuals/b.md", "# Title\n\nMarkdown body.".getBytes(StandardCharsets.UTF_8));
        write("enc/utf16le-bom.txt", concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, "Grüße aus Köln".getBytes(StandardCharsets.UTF_16LE)));
        write("enc/utf16be-bom.txt", concat(new byte[] {(byte) 0xFE, (byte) 0xFF}, "Ελληνικά κείμενο".getBytes(StandardCharsets.UTF_16BE)));
        write("enc/utf16le-nobom.txt", "Pump pressure is fine today.".getBytes(StandardCharsets.UTF_16LE));
        write("enc/latin1.txt", "Überdruck am Ventil, café".getBytes(StandardCharsets.ISO_8859_1));
        write("enc/invalid-utf8.txt", new byte[] {'a', 'b', (byte) 0xC3, '(', 'c', (byte) 0x93, 'x'});
        write("enc/cp1252.txt", "“quoted” – dash €5".getBytes(Charset.forName("windows-1252")));
        write("enc/utf8-bom.md", concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, "Mit BOM".getBytes(StandardCharsets.UTF_8)));
        write("bad/nul.txt", new byte[] {'a', 'b', 0, 'c', 'd'});
        write("bad/png.txt", concat(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10}, "IHDR stuff".getBytes(StandardCharsets.US_ASCII)));
        write("bad/image.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
        write("bad/empty.txt", new byte[0]);
        write("bad/blank.md", "  \n\n \t ".getBytes(StandardCharsets.UTF_8));
        write("bad/huge.log", "x".repeat(300_000).getBytes(StandardCharsets.US_ASCII));
        write("bad/garbage.pdf", "%PDF-1.7\nthis is not really a pdf\n".getBytes(StandardCharsets.US_ASCII));
        write("bad/junk.docx", "not a zip".getBytes(StandardCharsets.US_ASCII));
        write("bad/bomb.docx", zipBomb(8 << 20));
        write("bad/broken.json", "{\"text\": ".getBytes(StandardCharsets.UTF_8));
        write("web/page.html", HTML.getBytes(StandardCharsets.UTF_8));
        write("code/Main.java", "class Main {\n  // entry point\n  public static void main(String[] a) {}\n}\n".getBytes(StandardCharsets.UTF_8));
        write("code/Makefile", "all:\n\tjavac Main.java\n".getBytes(StandardCharsets.UTF_8));
        write("office/spec.docx", docx());
        write("office/table.xlsx", xlsx());
        write("office/deck.pptx", pptx());
        write("office/legacy.xls", xls());
        write("office/legacy.ppt", ppt());
        write("office/locked.xlsx", encrypted(xlsx(), "secret"));
        byte[] pdf = pdf(null);
        write("pdf/manual.pdf", pdf);
        write("pdf/locked.pdf", pdf("secret"));
        write("pdf/truncated.pdf", Arrays.copyOf(pdf, pdf.length / 3));
        write("dump/records.jsonl", String.join("\n",
                "{\"body\": {\"text\": \"first record\"}, \"source\": \"wiki\"}",
                "",
                "{not json}",
                "{\"body\": {\"other\": 1}}",
                "{\"body\": {\"text\": \"third record\"}}\r",
                "{\"body\": {\"text\": \"" + "y".repeat(250_000) + "\"}}",
                "{\"body\": {\"text\": \"last, no newline\"}}").getBytes(StandardCharsets.UTF_8));
        write("dump/array.json", "[{\"body\": {\"text\": \"alpha\"}}, {\"body\": {\"text\": \"beta\"}}, 3]".getBytes(StandardCharsets.UTF_8));
        write("dump/plain.json", "{\"title\": \"T\", \"sections\": [{\"p\": \"one\"}, {\"p\": \"two\"}], \"n\": 5}".getBytes(StandardCharsets.UTF_8));
        write(".hidden/secret.txt", "should not be read".getBytes(StandardCharsets.UTF_8));
        write("manuals/.draft.txt", "should not be read".getBytes(StandardCharsets.UTF_8));
        write("top.txt", "A file at the top.".getBytes(StandardCharsets.UTF_8));

        IngestConfig cfg = IngestConfig.defaults().withTextField("body.text").withMaxFileBytes(200_000)
                .withMaxInflatedBytes(4 << 20);
        ingest = Ingest.open(root, cfg);
        docs = new TreeMap<>();
        for (CurDoc d : ingest) docs.put(d.id(), d);
    }

    @Test
    void listsFilesSortedWithoutHiddenOnes() {
        List<String> ids = ingest.files().stream().map(ingest::id).toList();
        assertThat(ids).isSorted().doesNotContain(".hidden/secret.txt", "manuals/.draft.txt").contains("top.txt", "code/Makefile");
        assertThat(ingest.source(root.resolve("manuals/a.txt"))).isEqualTo("manuals");
        assertThat(ingest.source(root.resolve("top.txt"))).isEqualTo("top.txt");
    }

    @Test
    void plainTextAndEncodings() {
        assertThat(docs.get("manuals/a.txt").text()).isEqualTo("Plain text manual.\nSecond line.");
        assertThat(docs.get("manuals/a.txt").source()).isEqualTo("manuals");
        assertThat(docs.get("enc/utf16le-bom.txt").text()).isEqualTo("Grüße aus Köln");
        assertThat(docs.get("enc/utf16be-bom.txt").text()).isEqualTo("Ελληνικά κείμενο");
        assertThat(docs.get("enc/utf16le-nobom.txt").text()).isEqualTo("Pump pressure is fine today.");
        assertThat(docs.get("enc/latin1.txt").text()).isEqualTo("Überdruck am Ventil, café");
        assertThat(docs.get("enc/cp1252.txt").text()).isEqualTo("“quoted” – dash €5");
        assertThat(docs.get("enc/invalid-utf8.txt").text()).isEqualTo("abÃ(c“x");
        assertThat(docs.get("enc/utf8-bom.md").text()).isEqualTo("Mit BOM");
        assertThat(ingest.stats().notes()).containsEntry("encoding:windows-1252", 3L)
                .containsEntry("encoding:UTF-16LE", 2L).containsEntry("encoding:UTF-16BE", 1L);
    }

    @Test
    void skipsAreCountedByReasonWithExamples() {
        Map<String, Long> skipped = ingest.stats().skipped();
        assertThat(skipped).containsEntry("binary", 2L)           // nul.txt, png.txt
                .containsEntry("unsupported_extension", 1L)        // image.png
                .containsEntry("empty", 2L)                        // empty.txt, blank.md
                .containsEntry("too_large", 1L)                    // huge.log
                .containsEntry("zip_bomb", 1L)
                .containsEntry("zip_error", 1L)
                .containsEntry("encrypted", 2L)
                .containsEntry("json_parse_error", 1L);
        assertThat(skipped.get("pdf_parse_error")).isEqualTo(2L); // garbage.pdf, truncated.pdf
        assertThat(ingest.stats().skipExamples().get("binary")).containsExactly("bad/nul.txt", "bad/png.txt");
        assertThat(ingest.stats().skipExamples().get("zip_bomb")).containsExactly("bad/bomb.docx");
        assertThat(ingest.stats().notes()).containsEntry("binary:nul_bytes", 1L).containsEntry("binary:magic:png", 1L);
        assertThat(docs.keySet()).noneMatch(id -> id.startsWith("bad/"));
        assertThat(ingest.stats().files()).isEqualTo(ingest.files().size());
    }

    @Test
    void htmlKeepsMainTextWithoutBoilerplate() {
        String t = docs.get("web/page.html").text();
        assertThat(t).contains("# Pump P-200 troubleshooting", "When the pump reports E-281, check the mechanical seal first.",
                "- Isolate the pump.", "- Drain the casing.", "Code\tMeaning", "E-281\tSeal leak", "torque  = 30 N·m");
        assertThat(t).doesNotContain("Products", "Support", "cookies", "Accept", "Copyright", "tracking", "color:red",
                "Related one", "ACME", "Home");
    }

    @Test
    void officeDocuments() {
        assertThat(docs.get("office/spec.docx").text()).contains("Maximum pressure is 10 bar.", "Code\tMeaning", "E-100\tOverheat");
        String xlsx = docs.get("office/table.xlsx").text();
        assertThat(xlsx).startsWith("Faults\n").contains("Code\tMeaning\tCount\n", "E-100\tOverheat\t12\n", "E-200\tLow oil\t3.5\n");
        assertThat(docs.get("office/deck.pptx").text()).contains("Quarterly maintenance review");
        assertThat(docs.get("office/legacy.xls").text()).startsWith("Old\n").contains("Code\tCount\n", "E-7\t3\n");
        assertThat(docs.get("office/legacy.ppt").text()).contains("Legacy slide text");
        assertThat(ingest.stats().skipExamples().get("encrypted")).contains("office/locked.xlsx", "pdf/locked.pdf");
    }

    @Test
    void pdfTextInReadingOrder() {
        String t = docs.get("pdf/manual.pdf").text();
        assertThat(t).contains("Page one says hello.", "Page two continues.");
        assertThat(t.indexOf("Page one")).isLessThan(t.indexOf("Page two"));
    }

    @Test
    void jsonlAndJson() {
        assertThat(docs.get("dump/records.jsonl#1").text()).isEqualTo("first record");
        assertThat(docs.get("dump/records.jsonl#1").source()).isEqualTo("wiki");
        assertThat(docs.get("dump/records.jsonl#5").text()).isEqualTo("third record");
        assertThat(docs.get("dump/records.jsonl#5").source()).isEqualTo("dump");
        assertThat(docs.get("dump/records.jsonl#7").text()).isEqualTo("last, no newline");
        assertThat(docs).doesNotContainKeys("dump/records.jsonl#2", "dump/records.jsonl#3", "dump/records.jsonl#4", "dump/records.jsonl#6");
        assertThat(ingest.stats().notes()).containsEntry("jsonl_bad_line", 1L).containsEntry("jsonl_no_text", 1L)
                .containsEntry("jsonl_line_too_long", 1L);
        assertThat(docs.get("dump/array.json#1").text()).isEqualTo("alpha");
        assertThat(docs.get("dump/array.json#2").text()).isEqualTo("beta");
        assertThat(docs.get("dump/plain.json").text()).isEqualTo("T\none\ntwo\n");
    }

    @Test
    void codeFiles() {
        assertThat(docs.get("code/Main.java").text()).contains("public static void main");
        assertThat(docs.get("code/Makefile").text()).contains("javac Main.java");
    }

    @Test
    void sequenceIsDenseAndIdenticalWithAndWithoutParallelism() {
        List<CurDoc> parallel = new ArrayList<>(), serial = new ArrayList<>(), primitives = new ArrayList<>();
        Ingest.open(root, ingest.config()).extractAll(parallel::add);
        Ingest.open(root, ingest.config().withParallel(false)).extractAll(serial::add);
        Ingest manual = Ingest.open(root, ingest.config());
        for (Path f : manual.files()) manual.extract(f, primitives.size(), primitives::add);
        assertThat(parallel).isEqualTo(serial).isEqualTo(primitives);
        for (int i = 0; i < parallel.size(); i++) assertThat(parallel.get(i).seq()).isEqualTo(i);
        List<String> files = parallel.stream().map(d -> d.id().replaceFirst("#\\d+$", "")).toList();
        assertThat(files).isSorted();
        assertThat(parallel).hasSize(docs.size());
    }

    @Test
    void truncatesLongText() throws IOException {
        Path one = dir.resolve("single/long.txt");
        Files.createDirectories(one.getParent());
        Files.writeString(one, "abcdefghij".repeat(10));
        Ingest in = Ingest.open(one, IngestConfig.defaults().withMaxChars(25));
        List<CurDoc> out = new ArrayList<>();
        in.extractAll(out::add);
        assertThat(out).singleElement().satisfies(d -> {
            assertThat(d.text()).hasSize(25);
            assertThat(d.id()).isEqualTo("long.txt");
        });
        assertThat(in.stats().notes()).containsEntry("truncated", 1L);
    }

    @Test
    void jsonlRecordsAreStreamedField(@TempDir Path tmp) throws IOException {
        Path f = tmp.resolve("edge.jsonl");
        Files.writeString(f, String.join("\n",
                "[1, 2]",
                "{\"text\": \"a\"} trailing",
                "{\"text\": 5, \"source\": \"x\"}",
                "{\"meta\": {\"text\": \"nested, not the field\"}, \"text\": \"top\", \"source\": {\"not\": \"a string\"}}",
                "{\"text\": \"first\", \"text\": \"last wins\", \"list\": [{\"text\": \"no\"}]}",
                "{\"text\": \"\\u00e9t\\u00e9 \\\"quoted\\\"\"}", ""));
        Ingest in = Ingest.open(f, IngestConfig.defaults());
        List<CurDoc> out = in.extract(f, 10);
        assertThat(out).extracting(CurDoc::seq, CurDoc::id, CurDoc::source, CurDoc::text).containsExactly(
                org.assertj.core.groups.Tuple.tuple(10L, "edge.jsonl#4", "edge.jsonl", "top"),
                org.assertj.core.groups.Tuple.tuple(11L, "edge.jsonl#5", "edge.jsonl", "last wins"),
                org.assertj.core.groups.Tuple.tuple(12L, "edge.jsonl#6", "edge.jsonl", "été \"quoted\""));
        assertThat(in.stats().notes()).containsEntry("jsonl_bad_line", 1L).containsEntry("jsonl_no_text", 2L);
    }

    @Test
    void zipGuardChecksTotalSizeAndRatio() throws Exception {
        byte[] bomb = zipBomb(3 << 20); // 3 MiB of zeros: far above a 1:100 ratio
        assertThatThrownBy(() -> ZipGuard.check(bomb, 100L << 20)).isInstanceOf(Skip.class)
                .satisfies(e -> assertThat(((Skip) e).reason()).isEqualTo("zip_bomb")).hasMessageContaining("inflates");
        assertThatThrownBy(() -> ZipGuard.check(bomb, 1L << 20)).isInstanceOf(Skip.class).hasMessageContaining("more than");
        ZipGuard.check(docx(), 100L << 20); // a real document passes
        assertThatThrownBy(() -> ZipGuard.check("PK\u0003\u0004garbage".getBytes(StandardCharsets.ISO_8859_1), 100L << 20))
                .isInstanceOf(Skip.class).satisfies(e -> assertThat(((Skip) e).reason()).isEqualTo("zip_error"));
    }

    @Test
    void missingInputIsAUserError() {
        assertThatThrownBy(() -> Ingest.open(dir.resolve("nope"), IngestConfig.defaults()))
                .isInstanceOf(SeedlingException.class).hasMessageContaining("nope");
        assertThatThrownBy(() -> IngestConfig.defaults().withTextField("a..b")).isInstanceOf(SeedlingException.class);
    }

    // ---------------------------------------------------------------------------------------------------------
    // fixtures

    private static void write(String rel, byte[] bytes) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.write(p, bytes);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** A .docx-looking zip whose one entry inflates {@code bytes} zeros (ratio ~1000:1). */
    private static byte[] zipBomb(int bytes) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bos)) {
            zip.putNextEntry(new ZipEntry("[Content_Types].xml"));
            zip.write("<Types/>".getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("word/document.xml"));
            byte[] zeros = new byte[1 << 16];
            for (int i = 0; i < bytes; i += zeros.length) zip.write(zeros);
            zip.closeEntry();
        }
        return bos.toByteArray();
    }

    private static byte[] docx() throws IOException {
        try (XWPFDocument d = new XWPFDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            d.createParagraph().createRun().setText("Maximum pressure is 10 bar.");
            XWPFTable t = d.createTable(2, 2);
            t.getRow(0).getCell(0).setText("Code");
            t.getRow(0).getCell(1).setText("Meaning");
            t.getRow(1).getCell(0).setText("E-100");
            t.getRow(1).getCell(1).setText("Overheat");
            d.write(out);
            return out.toByteArray();
        }
    }

    private static byte[] xlsx() throws IOException {
        try (XSSFWorkbook wb = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            XSSFSheet s = wb.createSheet("Faults");
            Object[][] rows = {{"Code", "Meaning", "Count"}, {"E-100", "Overheat", 12}, {"E-200", "Low oil", 3.5}};
            for (int r = 0; r < rows.length; r++) {
                var row = s.createRow(r);
                for (int c = 0; c < rows[r].length; c++) {
                    if (rows[r][c] instanceof String str) row.createCell(c).setCellValue(str);
                    else row.createCell(c).setCellValue(((Number) rows[r][c]).doubleValue());
                }
            }
            wb.write(out);
            return out.toByteArray();
        }
    }

    private static byte[] pptx() throws IOException {
        try (XMLSlideShow ppt = new XMLSlideShow(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            XSLFSlide slide = ppt.createSlide();
            XSLFTextBox box = slide.createTextBox();
            box.setText("Quarterly maintenance review");
            ppt.write(out);
            return out.toByteArray();
        }
    }

    private static byte[] xls() throws IOException {
        try (HSSFWorkbook wb = new HSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            var s = wb.createSheet("Old");
            var r0 = s.createRow(0);
            r0.createCell(0).setCellValue("Code");
            r0.createCell(1).setCellValue("Count");
            var r1 = s.createRow(1);
            r1.createCell(0).setCellValue("E-7");
            r1.createCell(1).setCellValue(3);
            wb.write(out);
            return out.toByteArray();
        }
    }

    private static byte[] ppt() throws IOException {
        try (HSLFSlideShow ppt = new HSLFSlideShow(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            HSLFTextBox box = ppt.createSlide().createTextBox();
            box.setText("Legacy slide text");
            ppt.write(out);
            return out.toByteArray();
        }
    }

    /** {@code ooxml} wrapped the way Office protects a file with a password (agile encryption in an OLE2 container). */
    private static byte[] encrypted(byte[] ooxml, String password) throws Exception {
        try (POIFSFileSystem fs = new POIFSFileSystem(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            EncryptionInfo info = new EncryptionInfo(EncryptionMode.standard);
            Encryptor enc = info.getEncryptor();
            enc.confirmPassword(password);
            try (OutputStream os = enc.getDataStream(fs)) {
                os.write(ooxml);
            }
            fs.writeFilesystem(out);
            return out.toByteArray();
        }
    }

    private static byte[] pdf(String password) throws IOException {
        try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            for (String line : List.of("Page one says hello.", "Page two continues.")) {
                PDPage page = new PDPage();
                doc.addPage(page);
                try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                    cs.beginText();
                    cs.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
                    cs.newLineAtOffset(72, 700);
                    cs.showText(line);
                    cs.endText();
                }
            }
            if (password != null) {
                StandardProtectionPolicy policy = new StandardProtectionPolicy("owner-" + password, password, new AccessPermission());
                policy.setEncryptionKeyLength(128);
                doc.protect(policy);
            }
            doc.save((OutputStream) out);
            return out.toByteArray();
        }
    }
}
