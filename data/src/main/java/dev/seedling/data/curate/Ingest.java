package dev.seedling.data.curate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seedling.data.curate.internal.extract.HtmlText;
import dev.seedling.data.curate.internal.extract.JsonText;
import dev.seedling.data.curate.internal.extract.JsonlLines;
import dev.seedling.data.curate.internal.extract.OfficeText;
import dev.seedling.data.curate.internal.extract.PdfText;
import dev.seedling.data.curate.internal.extract.Skip;
import dev.seedling.data.curate.internal.extract.TextDecoder;
import dev.seedling.tensor.Parallel;
import dev.seedling.tensor.SeedlingException;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads a folder of mixed documents (or one file) into {@link CurDoc}s, streaming, in a deterministic order.
 *
 * <p><b>Files.</b> A folder is walked recursively; hidden files and folders (name starting with {@code .}) are
 * ignored; files are taken in the order of their relative paths ({@code /}-separated, compared as strings).
 * Formats by extension (case-insensitive), see {@link Format}: plain text and Markdown, source code, HTML (main
 * text without navigation and boilerplate), PDF (PDFBox), Word/Excel/PowerPoint old and new (Apache POI),
 * {@code .json} and {@code .jsonl}/{@code .ndjson}. Text files are checked for binary content (magic numbers, NUL
 * bytes, control bytes) and decoded by byte-order mark, else as UTF-8 when valid, else as windows-1252 (counted as
 * the note {@code encoding:windows-1252}). A file that cannot become a document is skipped and counted by reason
 * in {@link #stats()} ({@code binary}, {@code too_large}, {@code zip_bomb}, {@code encrypted},
 * {@code pdf_parse_error}, {@code empty}, …); no file can stop ingestion: every failure of one file, including
 * runtime errors and an {@code OutOfMemoryError} of its parser, is caught and counted. (A parser stuck in a loop on
 * a pathological file is not interrupted; the size limits bound how long one file can take in practice.)
 *
 * <p><b>Documents.</b> A file is one document, except JSON Lines (one per line holding the text field; the id is
 * {@code path#lineNumber}, 1-based) and a {@code .json} array of records (one per record with the field, id
 * {@code path#k}, k = 1, 2, … over the kept records). The id of any other file is its relative path; the source is
 * the first folder of the relative path, or the file name for a file at the top (a record's {@code sourceField}
 * overrides it).
 *
 * <p><b>Sequence numbers and parallelism.</b> {@link CurDoc#seq()} counts documents 0, 1, 2, … in file order and,
 * inside a file, in record order. {@link #iterator()} and {@link #extractAll} assign them; they extract batches of
 * files in parallel when the config allows, then number the results in order, so the output never depends on the
 * thread count. An orchestrator that parallelises itself uses the primitives: {@link #files()} for the ordered
 * list, {@link #extract(Path, long, Consumer)} per file with any {@code firstSeq} (e.g. 0), then renumbers the
 * documents in file order. Only JSON Lines files are streamed record by record; other files are read whole
 * (at most {@code maxFileBytes}).
 *
 * <p>Thread-safe: {@link #extract} may be called from several threads at once; {@link #stats()} accumulates over
 * every extraction made through this object.
 */
public final class Ingest implements Iterable<CurDoc> {
    /** How a file is read, decided by its extension. */
    public enum Format { TEXT, CODE, HTML, PDF, OFFICE, JSON, JSONL }

    private static final Map<String, Format> EXTENSIONS = extensions();
    private static final Set<String> TEXT_NAMES = Set.of("readme", "license", "licence", "changelog", "changes",
            "notice", "authors", "contributing", "copying", "install", "todo", "news");
    private static final Set<String> CODE_NAMES = Set.of("makefile", "dockerfile", "jenkinsfile", "gemfile",
            "rakefile", "cmakelists.txt", "vagrantfile", "procfile");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int JSONL_LINES_PER_READ = 256;

    private final Path root;
    private final boolean singleFile;
    private final List<Path> files;
    private final IngestConfig config;
    private final IngestStats stats;
    private final String[] textPath;
    private final String[] sourcePath;

    private Ingest(Path root, boolean singleFile, List<Path> files, IngestConfig config, IngestStats stats) {
        this.root = root;
        this.singleFile = singleFile;
        this.files = files;
        this.config = config;
        this.stats = stats;
        this.textPath = config.textField().split("\\.");
        this.sourcePath = config.sourceField() == null || config.sourceField().isBlank() ? null : config.sourceField().split("\\.");
    }

    /**
     * Lists {@code input} (a folder, walked recursively, or one file); nothing is extracted yet. Folders that
     * cannot be listed are counted as {@code unreadable} and passed over.
     *
     * @throws SeedlingException if {@code input} does not exist
     */
    public static Ingest open(Path input, IngestConfig config) {
        IngestStats stats = new IngestStats(config.maxExamples());
        if (Files.isDirectory(input)) {
            Path root;
            try {
                root = input.toRealPath(); // a symbolic link to a folder is walked as that folder
            } catch (IOException e) {
                throw new SeedlingException("cannot open " + input + ": " + e.getMessage() + "; check the folder's permissions", e);
            }
            List<Path> found = new ArrayList<>();
            try {
                Files.walkFileTree(root, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                        return !dir.equals(root) && hidden(dir) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        if (!hidden(file) && (attrs.isRegularFile() || Files.isRegularFile(file))) found.add(file);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) {
                        stats.skip("unreadable", relative(root, file));
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (IOException e) {
                throw new SeedlingException("cannot list " + input + ": " + e.getMessage() + "; check the folder's permissions", e);
            }
            List<Path> sorted = found.stream().sorted(Comparator.comparing(p -> relative(root, p))).toList();
            return new Ingest(root, false, List.copyOf(sorted), config, stats);
        }
        if (!Files.exists(input)) {
            throw new SeedlingException(input + " does not exist; point `curate` to a folder of documents or to one file");
        }
        Path abs = input.toAbsolutePath();
        return new Ingest(abs.getParent(), true, List.of(abs), config, stats);
    }

    /** Opens {@code input} with {@link IngestConfig#defaults()}. */
    public static Ingest open(Path input) {
        return open(input, IngestConfig.defaults());
    }

    public IngestConfig config() {
        return config;
    }

    /** Counters of everything extracted through this object so far. */
    public IngestStats stats() {
        return stats;
    }

    /** Every listed file (readable or not), in document order. */
    public List<Path> files() {
        return files;
    }

    /** The id of a file's document(s): its path relative to the input folder, {@code /}-separated. */
    public String id(Path file) {
        return singleFile ? file.getFileName().toString() : relative(root, file);
    }

    /** The source of a file's documents: its top folder under the input folder, or its file name. */
    public String source(Path file) {
        String rel = id(file);
        int slash = rel.indexOf('/');
        return slash < 0 ? rel : rel.substring(0, slash);
    }

    /** The format a file is read as, or null when its extension is not supported. */
    public static Format formatOf(Path file) {
        return formatOfName(file.getFileName().toString());
    }

    /** {@link #formatOf(Path)} for a bare file name. */
    public static Format formatOfName(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        if (CODE_NAMES.contains(name)) return Format.CODE;
        int dot = name.lastIndexOf('.');
        if (dot <= 0) return TEXT_NAMES.contains(name) ? Format.TEXT : null;
        return EXTENSIONS.get(name.substring(dot + 1));
    }

    // ---------------------------------------------------------------------------------------------------------
    // one file

    /**
     * Extracts the documents of one file and hands them to {@code sink} in order, numbered from {@code firstSeq}.
     * Never throws for a problem with the file: it is counted in {@link #stats()} instead.
     *
     * @return the number of documents produced
     */
    public long extract(Path file, long firstSeq, Consumer<CurDoc> sink) {
        long[] next = {firstSeq};
        stats.file();
        String id = id(file);
        Format format = formatOf(file);
        if (format == null || (format == Format.CODE && !config.includeCode())) {
            stats.skip("unsupported_extension", id);
            return 0;
        }
        try {
            if (format == Format.JSONL) {
                JsonlCursor cursor = new JsonlCursor(file);
                while (!cursor.lines.eof()) cursor.read(Integer.MAX_VALUE, next, sink);
                cursor.finish();
                return next[0] - firstSeq;
            }
            long size = Files.size(file);
            if (size > config.maxFileBytes()) {
                stats.skip("too_large", id);
                return 0;
            }
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length > config.maxFileBytes()) {
                stats.skip("too_large", id);
                return 0;
            }
            if (bytes.length == 0) {
                stats.skip("empty", id);
                return 0;
            }
            boolean[] records = {false};
            List<String> texts = texts(format, bytes, file, records);
            String source = source(file);
            int k = 0;
            for (String t : texts) {
                if (t.isBlank()) continue;
                k++;
                String docId = records[0] ? id + "#" + k : id;
                emit(new CurDoc(next[0]++, docId, source, truncate(t)), sink);
            }
            if (k == 0) stats.skip("empty", id);
            else stats.read(bytes.length);
            return k;
        } catch (Skip s) {
            stats.skip(s.reason(), id);
        } catch (IOException e) {
            stats.skip("unreadable", id);
        } catch (OutOfMemoryError e) {
            stats.skip("out_of_memory", id);
        } catch (StackOverflowError | RuntimeException e) {
            stats.skip("error", id);
            stats.note("error:" + e.getClass().getSimpleName(), 1);
        }
        return next[0] - firstSeq;
    }

    /** {@link #extract(Path, long, Consumer)} into a list. */
    public List<CurDoc> extract(Path file, long firstSeq) {
        List<CurDoc> out = new ArrayList<>();
        extract(file, firstSeq, out::add);
        return out;
    }

    private List<String> texts(Format format, byte[] bytes, Path file, boolean[] records) throws Skip, IOException {
        String ext = extension(file);
        return switch (format) {
            case TEXT, CODE -> {
                String why = TextDecoder.binaryReason(bytes, bytes.length);
                if (why != null) {
                    stats.note("binary:" + why, 1);
                    throw new Skip("binary", why);
                }
                TextDecoder.Decoded d = TextDecoder.decode(bytes, bytes.length);
                if (!d.encoding().equals("UTF-8") || d.fallback()) stats.note("encoding:" + d.encoding(), 1);
                yield List.of(d.text());
            }
            case HTML -> {
                String magic = TextDecoder.magic(bytes, bytes.length);
                if (magic != null) throw new Skip("binary", "magic:" + magic);
                yield List.of(HtmlText.extract(bytes, config.maxChars()));
            }
            case PDF -> List.of(PdfText.extract(bytes, config.maxChars()));
            case OFFICE -> List.of(OfficeText.extract(bytes, ext, config.maxChars(), config.maxInflatedBytes()));
            case JSON -> {
                JsonNode root;
                try {
                    root = JSON.readTree(bytes);
                } catch (IOException e) {
                    throw new Skip("json_parse_error", String.valueOf(e.getMessage()));
                }
                if (root == null || root.isMissingNode()) throw new Skip("empty", "no JSON value");
                List<String> docs = JsonText.documents(root, textPath);
                records[0] = root.isArray() && !docs.isEmpty() && JsonText.field(firstObject(root), textPath) != null
                        || root.isArray() && docs.size() > 1;
                yield docs;
            }
            case JSONL -> throw new IllegalStateException("JSON Lines are streamed");
        };
    }

    private static JsonNode firstObject(JsonNode array) {
        for (JsonNode n : array) if (n.isObject()) return n;
        return null;
    }

    private String truncate(String text) {
        if (text.length() <= config.maxChars()) return text;
        stats.note("truncated", 1);
        int cut = config.maxChars();
        if (Character.isHighSurrogate(text.charAt(cut - 1))) cut--;
        return text.substring(0, cut);
    }

    private void emit(CurDoc doc, Consumer<CurDoc> sink) {
        stats.doc(doc.text().length());
        sink.accept(doc);
    }

    /** Reads a JSON Lines file a bounded number of lines at a time (see {@link JsonlLines}). */
    private final class JsonlCursor {
        final Path file;
        final String id, source;
        final JsonlLines lines;
        long docs, bytes;

        JsonlCursor(Path file) {
            this.file = file;
            this.id = id(file);
            this.source = source(file);
            this.lines = new JsonlLines(file, config.maxFileBytes());
        }

        void read(int maxLines, long[] next, Consumer<CurDoc> sink) throws IOException {
            lines.read(maxLines, (lineNo, line, length) -> {
                if (blank(line, length)) return;
                String[] fields;
                try {
                    fields = JsonText.record(line, length, textPath, sourcePath);
                } catch (IOException | RuntimeException e) {
                    stats.note("jsonl_bad_line", 1);
                    return;
                }
                String text = fields == null ? null : fields[0];
                if (text == null) {
                    stats.note("jsonl_no_text", 1);
                    return;
                }
                if (text.isBlank()) {
                    stats.note("jsonl_blank_text", 1);
                    return;
                }
                String src = fields[1];
                docs++;
                bytes += length + 1;
                emit(new CurDoc(next[0]++, id + "#" + lineNo, src == null || src.isBlank() ? source : src, truncate(text)), sink);
            });
        }

        void finish() {
            if (lines.tooLong() > 0) stats.note("jsonl_line_too_long", lines.tooLong());
            if (docs == 0) stats.skip("empty", id);
            else stats.read(bytes);
        }
    }

    private static boolean blank(byte[] b, int n) {
        for (int i = 0; i < n; i++) if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r') return false;
        return true;
    }

    // ---------------------------------------------------------------------------------------------------------
    // the whole input

    /** Extracts every file in order, handing documents to {@code sink} numbered 0, 1, 2, …; returns the count. */
    public long extractAll(Consumer<? super CurDoc> sink) {
        long n = 0;
        for (Iterator<CurDoc> it = iterator(); it.hasNext(); n++) sink.accept(it.next());
        return n;
    }

    /**
     * A fresh pass over all files, documents numbered from 0. Holds at most one batch of extracted files (or
     * {@value #JSONL_LINES_PER_READ} JSON Lines records) at a time and keeps no file open between calls.
     */
    @Override
    public Iterator<CurDoc> iterator() {
        return new Pass();
    }

    private final class Pass implements Iterator<CurDoc> {
        final ArrayDeque<CurDoc> ready = new ArrayDeque<>();
        final long[] next = {0};
        int fileIndex;
        JsonlCursor jsonl;

        @Override
        public boolean hasNext() {
            while (ready.isEmpty() && (jsonl != null || fileIndex < files.size())) fill();
            return !ready.isEmpty();
        }

        @Override
        public CurDoc next() {
            if (!hasNext()) throw new NoSuchElementException();
            return ready.removeFirst();
        }

        private void fill() {
            if (jsonl != null) {
                try {
                    jsonl.read(JSONL_LINES_PER_READ, next, ready::addLast);
                } catch (IOException | RuntimeException e) {
                    stats.skip("unreadable", jsonl.id);
                    jsonl = null;
                    return;
                }
                if (jsonl.lines.eof()) {
                    jsonl.finish();
                    jsonl = null;
                }
                return;
            }
            Path file = files.get(fileIndex);
            if (formatOf(file) == Format.JSONL) {
                fileIndex++;
                stats.file();
                jsonl = new JsonlCursor(file);
                return;
            }
            // a batch of consecutive non-JSONL files, at most 4 per thread and about maxFileBytes in all, so memory
            // stays bounded by a few large files whatever the thread count
            int end = fileIndex;
            int batch = config.parallel() ? 4 * Parallel.threads() : 1;
            long batchBytes = 0;
            while (end < files.size() && end - fileIndex < batch && formatOf(files.get(end)) != Format.JSONL
                    && (end == fileIndex || batchBytes < config.maxFileBytes())) {
                batchBytes += sizeOrZero(files.get(end));
                end++;
            }
            int from = fileIndex, count = end - from;
            fileIndex = end;
            @SuppressWarnings({"unchecked", "rawtypes"})
            List<CurDoc>[] out = new List[count];
            if (count == 1) out[0] = extract(files.get(from), 0);
            else Parallel.forEach(count, (worker, task) -> out[task] = extract(files.get(from + task), 0));
            for (List<CurDoc> docs : out) {
                for (CurDoc d : docs) ready.addLast(new CurDoc(next[0]++, d.id(), d.source(), d.text()));
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // paths and formats

    private static long sizeOrZero(Path p) {
        try {
            return Files.size(p);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static boolean hidden(Path p) {
        Path name = p.getFileName();
        return name != null && name.toString().startsWith(".");
    }

    private static String relative(Path root, Path p) {
        return dev.seedling.data.internal.RelativePaths.slashed(root, p);
    }

    private static String extension(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1);
    }

    private static Map<String, Format> extensions() {
        Map<String, Format> m = new java.util.HashMap<>();
        for (String e : "txt text md markdown rst log csv tsv adoc asciidoc org tex properties ini cfg conf srt vtt".split(" ")) {
            m.put(e, Format.TEXT);
        }
        for (String e : ("java py pyi js mjs cjs jsx ts tsx go rs c cc cpp cxx h hh hpp hxx cs kt kts scala sc sql sh"
                + " bash zsh fish ps1 psm1 bat cmd yaml yml xml xsd xsl toml gradle groovy rb php pl pm swift m mm r"
                + " lua dart vue svelte css scss sass less proto thrift graphql gql cmake tf hcl ex exs erl hrl hs ml"
                + " mli clj cljs f f90 f95 jl nim zig v sv svh vhd vhdl asm s ipynb sol ini cfg dockerfile mk awk sed"
                + " pas vb vbs fs fsx lisp el scm rkt st ada adb ads cob cbl tcl json5 jsonc").split(" ")) {
            m.putIfAbsent(e, Format.CODE);
        }
        for (String e : "html htm xhtml shtml".split(" ")) m.put(e, Format.HTML);
        m.put("pdf", Format.PDF);
        for (String e : "docx docm doc xlsx xlsm xls pptx pptm ppt".split(" ")) m.put(e, Format.OFFICE);
        m.put("json", Format.JSON);
        m.put("jsonl", Format.JSONL);
        m.put("ndjson", Format.JSONL);
        return Map.copyOf(m);
    }
}
