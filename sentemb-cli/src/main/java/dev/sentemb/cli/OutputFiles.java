package dev.sentemb.cli;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Temporary files beside a target, moved into place at the end, so a failed run leaves no half-written
 * output. The file ends with the mode any other tool would give it: a new one the umask's (it is
 * created with {@code Files.createFile}, 0666 less the umask, not {@code createTempFile}'s 0600), an
 * overwritten one keeps its own.
 */
final class OutputFiles {
    private OutputFiles() {}

    /**
     * Checks that {@code target}'s directory exists (creating it when {@code mkdirs}); a missing one is
     * an error naming it, since it is most often a typo.
     */
    static void checkDirectory(Path target, boolean mkdirs) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        if (Files.isDirectory(dir)) {
            return;
        }
        if (Files.exists(dir)) {
            throw new IOException("cannot write " + target + ": " + dir + " is not a directory");
        }
        if (!mkdirs) {
            throw new IOException("cannot write " + target + ": directory " + dir + " does not exist (create it, or pass --mkdirs)");
        }
        Files.createDirectories(dir);
    }

    /** Writes {@code text} (UTF-8) to {@code target} through a temporary file; a null target writes nothing. */
    static void writeString(Path target, String text, boolean mkdirs) throws IOException {
        if (target == null) {
            return;
        }
        Path tmp = temporaryFor(target, mkdirs);
        try {
            Files.writeString(tmp, text, java.nio.charset.StandardCharsets.UTF_8);
            moveIntoPlace(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** {@link #checkDirectory} for each non-null target: run before hours of work, not after. */
    static void checkDirectories(boolean mkdirs, Path... targets) throws IOException {
        for (Path t : targets) {
            if (t != null) {
                checkDirectory(t, mkdirs);
            }
        }
    }

    static Path temporaryFor(Path target, boolean mkdirs) throws IOException {
        checkDirectory(target, mkdirs);
        Path dir = target.toAbsolutePath().getParent();
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve("." + target.getFileName() + "." + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
            try {
                return Files.createFile(tmp);
            } catch (FileAlreadyExistsException e) {
                if (attempt > 100) {
                    throw e;
                }
            }
        }
    }

    static void moveIntoPlace(Path tmp, Path target) throws IOException {
        keepMode(target, tmp);
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** An existing target's permissions carry over to its replacement (where the file system has them). */
    private static void keepMode(Path target, Path tmp) throws IOException {
        if (!Files.isRegularFile(target) || Files.getFileAttributeView(tmp, PosixFileAttributeView.class) == null) {
            return;
        }
        Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(target));
    }
}
