package dev.seedling.data.curate.internal.extract;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Locale;
import org.apache.poi.EncryptedDocumentException;
import org.apache.poi.OldFileFormatException;
import org.apache.poi.hslf.usermodel.HSLFSlideShow;
import org.apache.poi.hwpf.extractor.WordExtractor;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;
import org.apache.poi.sl.extractor.SlideShowExtractor;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.ss.usermodel.WorkbookFactory;
import org.apache.poi.xslf.usermodel.XMLSlideShow;
import org.apache.poi.xssf.extractor.XSSFEventBasedExcelExtractor;
import org.apache.poi.xwpf.extractor.XWPFWordExtractor;
import org.apache.poi.xwpf.usermodel.XWPFDocument;

/**
 * Text of Office documents with Apache POI: Word (.docx, .doc) paragraphs and tables, PowerPoint (.pptx, .ppt)
 * slide text and notes, Excel one line per row with tab-separated formatted cell values (cached formula results),
 * each sheet introduced by its name on a line ({@code .xlsx} read by POI's streaming SAX extractor, so a large
 * sheet never becomes an object tree; {@code .xls} through the object model, in the same layout). ZIP-based files pass {@link ZipGuard} first. Encrypted files are skipped as
 * {@code "encrypted"}, files POI cannot read as {@code "office_parse_error"}. Thread-safe (no shared state).
 */
public final class OfficeText {
    private OfficeText() {}

    /** @param ext lower-case extension without the dot */
    public static String extract(byte[] bytes, String ext, int maxChars, long maxInflatedBytes) throws Skip {
        boolean ooxml = ext.endsWith("x") || ext.endsWith("m");
        if (ooxml && "ole2".equals(TextDecoder.magic(bytes, bytes.length))) {
            // a password-protected OOXML file is an OLE2 container holding EncryptionInfo + EncryptedPackage
            try (POIFSFileSystem fs = new POIFSFileSystem(new ByteArrayInputStream(bytes))) {
                if (fs.getRoot().hasEntry("EncryptionInfo")) throw new Skip("encrypted", "Office document needs a password");
            } catch (IOException | RuntimeException e) {
                throw new Skip("office_parse_error", "unreadable OLE2 container: " + e.getMessage());
            }
            throw new Skip("office_parse_error", "an old binary Office file named ." + ext);
        }
        if (ooxml) ZipGuard.check(bytes, maxInflatedBytes);
        try {
            return switch (ext) {
                case "docx", "docm" -> {
                    try (XWPFDocument d = new XWPFDocument(new ByteArrayInputStream(bytes));
                         XWPFWordExtractor x = new XWPFWordExtractor(d)) {
                        yield x.getText();
                    }
                }
                case "doc" -> {
                    try (WordExtractor x = new WordExtractor(new ByteArrayInputStream(bytes))) {
                        yield x.getText();
                    }
                }
                case "pptx", "pptm" -> {
                    try (XMLSlideShow s = new XMLSlideShow(new ByteArrayInputStream(bytes));
                         SlideShowExtractor<?, ?> x = new SlideShowExtractor<>(s)) {
                        x.setNotesByDefault(true);
                        yield x.getText();
                    }
                }
                case "ppt" -> {
                    try (HSLFSlideShow s = new HSLFSlideShow(new ByteArrayInputStream(bytes));
                         SlideShowExtractor<?, ?> x = new SlideShowExtractor<>(s)) {
                        x.setNotesByDefault(true);
                        yield x.getText();
                    }
                }
                case "xlsx", "xlsm" -> {
                    // streaming (SAX) reader: memory stays small however large the sheets are
                    try (OPCPackage pkg = OPCPackage.open(new ByteArrayInputStream(bytes));
                         XSSFEventBasedExcelExtractor x = new XSSFEventBasedExcelExtractor(pkg)) {
                        x.setIncludeSheetNames(true);
                        x.setFormulasNotResults(false);
                        x.setIncludeHeadersFooters(false);
                        x.setIncludeTextBoxes(true);
                        x.setLocale(Locale.ROOT);
                        yield x.getText();
                    }
                }
                case "xls" -> {
                    try (Workbook wb = WorkbookFactory.create(new ByteArrayInputStream(bytes))) {
                        yield sheets(wb, maxChars);
                    }
                }
                default -> throw new Skip("unsupported_extension", ext);
            };
        } catch (EncryptedDocumentException e) {
            throw new Skip("encrypted", "Office document needs a password");
        } catch (OldFileFormatException e) {
            throw new Skip("office_parse_error", "old Office format: " + e.getMessage());
        } catch (IOException | RuntimeException | org.apache.xmlbeans.XmlException
                 | org.apache.poi.openxml4j.exceptions.OpenXML4JException e) {
            String msg = String.valueOf(e.getMessage());
            if (msg.toLowerCase(Locale.ROOT).contains("zip bomb")) throw new Skip("zip_bomb", msg);
            if (msg.toLowerCase(Locale.ROOT).contains("encrypt")) throw new Skip("encrypted", msg);
            throw new Skip("office_parse_error", e.getClass().getSimpleName() + ": " + msg);
        }
    }

    private static String sheets(Workbook wb, int maxChars) {
        DataFormatter fmt = new DataFormatter(Locale.ROOT);
        fmt.setUseCachedValuesForFormulaCells(true); // the value Excel last computed, never a formula string
        StringBuilder out = new StringBuilder();
        for (Sheet sheet : wb) {
            if (!out.isEmpty()) out.append('\n');
            out.append(sheet.getSheetName()).append('\n');
            for (Row row : sheet) {
                int before = out.length();
                int last = row.getLastCellNum();
                for (int c = 0; c < last; c++) {
                    if (c > 0) out.append('\t');
                    Cell cell = row.getCell(c);
                    if (cell != null) out.append(fmt.formatCellValue(cell).replace('\t', ' ').replace('\n', ' '));
                }
                // drop rows that are only separators
                boolean blank = true;
                for (int i = before; i < out.length() && blank; i++) blank = out.charAt(i) == '\t';
                if (blank) out.setLength(before);
                else out.append('\n');
                if (out.length() >= maxChars) return out.toString();
            }
        }
        return out.toString();
    }
}
