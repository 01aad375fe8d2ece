package dev.seedling.data;

/** The two parts of a packed corpus. */
public enum Split {
    TRAIN("train"),
    VAL("val");

    private final String fileName;

    Split(String fileName) {
        this.fileName = fileName;
    }

    /** The name used in shard file names and {@code index.json} ({@code "train"}, {@code "val"}). */
    public String fileName() {
        return fileName;
    }
}
