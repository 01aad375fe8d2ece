package dev.seedling.data.curate.internal.extract;

import java.io.IOException;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.text.PDFTextStripper;

/**
 * Text of a PDF with PDFBox, positions sorted (reading order for multi-column and out-of-order content streams),
 * pages separated by two blank lines (the page break {@link dev.seedling.data.curate.RepeatedLines} looks for), extracted a few pages at a time so that {@code maxChars} stops early.
 * A PDF that needs a password is skipped as {@code "encrypted"}; one PDFBox cannot parse as
 * {@code "pdf_parse_error"}. Thread-safe (no shared state).
 */
public final class PdfText {
    private static final int PAGES_PER_CALL = 16;

    private PdfText() {}

    public static String extract(byte[] bytes, int maxChars) throws Skip {
        try (PDDocument doc = Loader.loadPDF(bytes)) {
            int pages = doc.getNumberOfPages();
            PDFTextStripper stripper = new PDFTextStripper();
            stripper.setSortByPosition(true);
            stripper.setLineSeparator("\n");
            stripper.setPageEnd("\n\n\n"); // two blank lines: a page break for RepeatedLines
            StringBuilder out = new StringBuilder();
            for (int p = 1; p <= pages && out.length() < maxChars; p += PAGES_PER_CALL) {
                stripper.setStartPage(p);
                stripper.setEndPage(Math.min(pages, p + PAGES_PER_CALL - 1));
                out.append(stripper.getText(doc));
            }
            return out.toString();
        } catch (InvalidPasswordException e) {
            throw new Skip("encrypted", "PDF needs a password");
        } catch (IOException | RuntimeException e) {
            throw new Skip("pdf_parse_error", String.valueOf(e.getMessage()));
        }
    }
}
