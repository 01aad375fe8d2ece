package dev.seedling.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seedling.tensor.SeedlingException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Reads the documents of a corpus, in a deterministic order:
 * <ul>
 *   <li>a folder, recursively: every {@code .txt} and {@code .md} file (case-insensitive) is one document, in the
 *       order of their relative paths ({@code /}-separated, compared as strings); files with other extensions are
 *       skipped and counted; hidden files and folders (name starting with {@code .}) are ignored;</li>
 *   <li>a {@code .jsonl} file: one JSON object per line, {@code {"id","text","source","meta"}} with only
 *       {@code "text"} required; blank lines are ignored;</li>
 *   <li>a single {@code .txt}/{@code .md} file.</li>
 * </ul>
 * Text files must be UTF-8 (a leading BOM is dropped); a NUL byte or invalid UTF-8 makes the file "look binary",
 * which is a {@link SeedlingException} naming the file. Documents whose text is blank are skipped and counted.
 * A reader can be iterated any number of times with the same result as long as the files do not change.
 */
public final class DocumentReader {
    /** Largest text file, or jsonl line, accepted by default: 64 MiB. */
    public static final long DEFAULT_MAX_DOCUMENT_BYTES = 64L << 20;

    /** What one pass over the corpus saw. */
    public record Stats(long documents, long blankDocuments, long bytes) {}

    private enum Kind { FOLDER, JSONL, TEXT_FILE }

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Path input;
    private final Kind kind;
    private final List<Path> files;
    private final int skippedFiles;
    private final long maxDocumentBytes;

    private DocumentReader(Path input, Kind kind, List<Path> files, int skippedFiles, long maxDocumentBytes) {
        this.input = input;
        this.kind = kind;
        this.files = files;
        this.skippedFiles = skippedFiles;
        this.maxDocumentBytes = maxDocumentBytes;
    }

    public static DocumentReader open(Path input) {
        return open(input, DEFAULT_MAX_DOCUMENT_BYTES);
    }

    /**
     * Lists the corpus at {@code input} (nothing is read yet).
     *
     * @param maxDocumentBytes the largest text file or jsonl line accepted (at most {@code 2^31 - 16})
     */
    public static DocumentReader open(Path input, long maxDocumentBytes) {
        if (maxDocumentBytes < 1 || maxDocumentBytes > Integer.MAX_VALUE - 16) {
            throw new SeedlingException("maxDocumentBytes must be in [1, 2^31 - 16], got " + maxDocumentBytes);
        }
        if (Files.isDirectory(input)) {
            List<Path> texts = new ArrayList<>();
            int skipped = 0;
            try (Stream<Path> walk = Files.walk(input)) {
                List<Path> all = walk.filter(p -> !p.equals(input) && !hidden(input, p) && Files.isRegularFile(p))
                        .sorted(Comparator.comparing(p -> relative(input, p)))
                        .toList();
                for (Path p : all) {
                    if (isText(p)) texts.add(p);
                    else skipped++;
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                throw new SeedlingException("cannot list " + input + ": " + e + "; check the folder's permissions", e);
            }
            return new DocumentReader(input, Kind.FOLDER, List.copyOf(texts), skipped, maxDocumentBytes);
        }
        if (!Files.exists(input)) {
            throw new SeedlingException(input + " does not exist; point to a folder of .txt/.md files or to a docs.jsonl file");
        }
        String name = input.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".jsonl")) return new DocumentReader(input, Kind.JSONL, List.of(input), 0, maxDocumentBytes);
        if (isText(input)) return new DocumentReader(input, Kind.TEXT_FILE, List.of(input), 0, maxDocumentBytes);
        throw new SeedlingException(input + " is neither a folder, a .jsonl file nor a .txt/.md file; "
                + "point to a folder of .txt/.md files or to a docs.jsonl file");
    }

    public Path input() {
        return input;
    }

    /** The files that will be read, in reading order. */
    public List<Path> files() {
        return files;
    }

    /** Files in the folder skipped because of their extension. */
    public int skippedFiles() {
        return skippedFiles;
    }

    private static boolean isText(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".txt") || n.endsWith(".md");
    }

    private static boolean hidden(Path root, Path p) {
        for (Path part : root.relativize(p)) {
            if (part.toString().startsWith(".")) return true;
        }
        return false;
    }

    private static String relative(Path root, Path p) {
        return dev.seedling.data.internal.RelativePaths.slashed(root, p);
    }

    /** Reads every non-blank document in order and hands it to {@code sink}; returns what the pass saw. */
    public Stats forEach(Consumer<Document> sink) {
        long[] counts = new long[3]; // documents, blank, bytes
        Consumer<Document> counting = d -> {
            if (d.text().isBlank()) {
                counts[1]++;
            } else {
                counts[0]++;
                sink.accept(d);
            }
        };
        switch (kind) {
            case FOLDER -> {
                for (Path p : files) counts[2] += readText(p, relative(input, p), counting);
            }
            case TEXT_FILE -> counts[2] += readText(input, input.getFileName().toString(), counting);
            case JSONL -> counts[2] += readJsonl(input, counting);
        }
        return new Stats(counts[0], counts[1], counts[2]);
    }

    private long readText(Path file, String id, Consumer<Document> sink) {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > maxDocumentBytes) {
                throw new SeedlingException(file + " is " + size + " bytes, over the limit of " + maxDocumentBytes
                        + " bytes for one document; split it into smaller files or raise the limit");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new SeedlingException("cannot read " + file + ": " + e + "; check the file's permissions", e);
        }
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                throw new SeedlingException(file + " looks binary (NUL byte at offset " + i
                        + "); remove it or run `seedling curate`");
            }
        }
        int start = hasBom(bytes, bytes.length) ? 3 : 0;
        String text = decodeStrict(bytes, start, bytes.length, off -> new SeedlingException(file
                + " looks binary (invalid UTF-8 at offset " + off + "); remove it, convert it to UTF-8 or run `seedling curate`"));
        sink.accept(new Document(id, text, id, Map.of()));
        return bytes.length;
    }

    private static boolean hasBom(byte[] b, int n) {
        return n >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF;
    }

    private static String decodeStrict(byte[] bytes, int from, int to, java.util.function.LongFunction<SeedlingException> error) {
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, from, to - from);
        CharBuffer out = CharBuffer.allocate(to - from);
        CoderResult r = dec.decode(in, out, true);
        if (r.isError()) throw error.apply(in.position());
        r = dec.flush(out);
        if (r.isError()) throw error.apply(in.position());
        return out.flip().toString();
    }

    private long readJsonl(Path file, Consumer<Document> sink) {
        String fileName = file.getFileName().toString();
        long bytes = 0;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] chunk = new byte[1 << 16];
            int chunkLen = 0, chunkPos = 0;
            byte[] line = new byte[4096];
            long lineNo = 0;
            boolean eof = false;
            while (!eof) {
                int n = 0;
                boolean newline = false;
                while (!newline) {
                    if (chunkPos == chunkLen) {
                        chunkLen = in.read(chunk);
                        chunkPos = 0;
                        if (chunkLen < 0) {
                            chunkLen = 0;
                            eof = true;
                            break;
                        }
                    }
                    int stop = chunkPos;
                    while (stop < chunkLen && chunk[stop] != '\n') stop++;
                    int take = stop - chunkPos;
                    if ((long) n + take > maxDocumentBytes) {
                        throw new SeedlingException(file + " line " + (lineNo + 1) + " is longer than " + maxDocumentBytes
                                + " bytes; split the document or raise the limit");
                    }
                    if (n + take > line.length) {
                        line = java.util.Arrays.copyOf(line, (int) Math.min(maxDocumentBytes, Math.max(n + take, 2L * line.length)));
                    }
                    System.arraycopy(chunk, chunkPos, line, n, take);
                    n += take;
                    chunkPos = stop;
                    if (stop < chunkLen) {
                        chunkPos++;
                        newline = true;
                    }
                }
                if (eof && n == 0) break;
                lineNo++;
                bytes += n + (newline ? 1 : 0);
                int start = lineNo == 1 && hasBom(line, n) ? 3 : 0;
                int end = n > start && line[n - 1] == '\r' ? n - 1 : n;
                long ln = lineNo;
                String text = decodeStrict(line, start, end, off -> new SeedlingException(file + " line " + ln
                        + " is not valid UTF-8 (byte " + off + " of the line); fix the line or run `seedling curate`"));
                if (!text.isBlank()) sink.accept(parseLine(file, fileName, ln, text));
            }
        } catch (IOException e) {
            throw new SeedlingException("cannot read " + file + ": " + e + "; check the file's permissions", e);
        }
        return bytes;
    }

    private static Document parseLine(Path file, String fileName, long lineNo, String line) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            String msg = e.getOriginalMessage();
            int nl = msg == null ? -1 : msg.indexOf('\n');
            throw new SeedlingException(file + " line " + lineNo + " is not valid JSON ("
                    + (nl < 0 ? msg : msg.substring(0, nl)) + "); fix or remove that line", e);
        }
        if (!node.isObject()) {
            throw new SeedlingException(file + " line " + lineNo + " is not a JSON object; each line must be "
                    + "{\"text\": ...} with optional \"id\", \"source\", \"meta\"");
        }
        JsonNode text = node.get("text");
        if (text == null || !text.isTextual()) {
            throw new SeedlingException(file + " line " + lineNo + " has no \"text\" string; each line must be "
                    + "{\"text\": ...} with optional \"id\", \"source\", \"meta\"");
        }
        JsonNode id = node.get("id"), source = node.get("source"), meta = node.get("meta");
        Map<String, Object> metaMap = Map.of();
        if (meta != null && !meta.isNull()) {
            if (!meta.isObject()) {
                throw new SeedlingException(file + " line " + lineNo + " has a \"meta\" that is not a JSON object; "
                        + "make it an object or drop it");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> m = JSON.convertValue(meta, LinkedHashMap.class);
            metaMap = m;
        }
        String idText = id == null || id.isNull() || id.isContainerNode() ? fileName + ":" + lineNo : id.asText();
        String sourceText = source == null || !source.isValueNode() || source.isNull() ? fileName : source.asText();
        return new Document(idText, text.asText(), sourceText, metaMap);
    }
}
