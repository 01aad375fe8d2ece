package dev.seedling.tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Atomic file writes, for every module (DESIGN §4): the content goes to a hidden temp file in the target's folder, is
 * fsynced, and is renamed over the target; the folder is fsynced after. On any failure the temp file is removed and
 * the target is untouched. Lives in {@code tensor}, the bottom module, beside {@link SeedlingException}.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Writes a file's content into an open channel positioned at 0. */
    @FunctionalInterface
    public interface Body {
        void writeTo(FileChannel channel) throws IOException;
    }

    /** Writes {@code target} atomically with {@code body}; creates missing parent folders. */
    public static void write(Path target, Body body) {
        Path dir = target.toAbsolutePath().normalize().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = tempSibling(target, ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                body.writeTo(ch);
                ch.force(true);
            }
            moveAtomically(tmp, target);
            tmp = null;
            syncDirectory(dir);
        } catch (IOException e) {
            throw new SeedlingException("cannot write " + target + ": " + e + "; check the folder is writable and the disk has space", e);
        } finally {
            if (tmp != null) deleteQuietly(tmp);
        }
    }

    private static final AtomicLong COUNTER = new AtomicLong();

    /**
     * A fresh hidden name beside {@code target} (not {@code Files.createTempFile}/{@code createTempDirectory}: those
     * make owner-only files, and the rename would keep them so).
     */
    public static Path tempSibling(Path target, String suffix) {
        Path dir = target.toAbsolutePath().normalize().getParent();
        return dir.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid() + "."
                + COUNTER.incrementAndGet() + suffix);
    }

    /** Writes {@code content} to {@code target} atomically. */
    public static void write(Path target, byte[] content) {
        write(target, ch -> writeFully(ch, ByteBuffer.wrap(content)));
    }

    /** Writes {@code text} as UTF-8 to {@code target} atomically. */
    public static void writeString(Path target, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        write(target, ch -> writeFully(ch, ByteBuffer.wrap(bytes)));
    }

    /** Writes all of {@code buf} (a channel may write less than asked). */
    public static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) ch.write(buf);
    }

    /** Renames {@code from} to {@code to}, replacing a file (or an empty folder) there. */
    public static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Makes renames in {@code dir} durable where the platform can open a folder (Linux, macOS). */
    public static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // Windows cannot open folders; the rename itself is still atomic there
        }
    }

    /** Deletes {@code path} (a file, or a folder and everything in it), ignoring failures. */
    public static void deleteQuietly(Path path) {
        if (path == null) return;
        try {
            if (Files.isDirectory(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.walkFileTree(path, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                        Files.deleteIfExists(file);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                        Files.deleteIfExists(d);
                        return FileVisitResult.CONTINUE;
                    }
                });
            } else {
                Files.deleteIfExists(path);
            }
        } catch (IOException ignored) {
            // best effort: what is left is a hidden temp file or folder
        }
    }
}
