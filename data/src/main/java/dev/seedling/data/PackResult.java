package dev.seedling.data;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link Packer#pack} wrote.
 *
 * @param outputDir      the shard folder
 * @param documents      non-blank documents read
 * @param trainDocuments documents in the train split (with {@link Holdout#TAIL}, the one document)
 * @param valDocuments   documents held out (0 with {@link Holdout#TAIL} or {@link Holdout#NONE})
 * @param trainTokens    tokens in the train split, EOS separators included
 * @param valTokens      tokens in the val split, EOS separators included
 * @param holdout        how the validation split was chosen
 * @param blankDocuments documents skipped because their text was blank
 * @param skippedFiles   files in the input folder skipped because of their extension
 * @param shards         the shard files, train first, in order
 */
public record PackResult(Path outputDir, long documents, long trainDocuments, long valDocuments, long trainTokens,
                         long valTokens, Holdout holdout, long blankDocuments, int skippedFiles, List<Path> shards) {
    /** How the validation split was made. */
    public enum Holdout {
        /** No validation split (val fraction 0). */
        NONE,
        /** Whole documents, chosen with the seed. */
        DOCUMENTS,
        /** The tail of the only document's tokens. */
        TAIL
    }

    public PackResult {
        shards = List.copyOf(shards);
    }

    /** A one-line report. */
    public String summary() {
        String val = switch (holdout) {
            case NONE -> "no validation split";
            case DOCUMENTS -> valDocuments + " val documents (" + valTokens + " tokens)";
            case TAIL -> "val = last " + valTokens + " tokens of the only document";
        };
        return "packed " + documents + " documents into " + shards.size() + " shards in " + outputDir + ": "
                + trainDocuments + " train documents (" + trainTokens + " tokens), " + val
                + (blankDocuments > 0 ? "; skipped " + blankDocuments + " blank documents" : "")
                + (skippedFiles > 0 ? "; skipped " + skippedFiles + " files with other extensions" : "");
    }
}
