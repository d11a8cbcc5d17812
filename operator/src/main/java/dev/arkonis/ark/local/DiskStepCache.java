package dev.arkonis.ark.local;

import dev.arkonis.ark.flow.CacheLookup;
import dev.arkonis.ark.flow.CacheWrite;
import dev.arkonis.ark.flow.CachedAnswer;
import dev.arkonis.ark.flow.StepCacheKey;
import dev.arkonis.ark.flow.StepCacheStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The step cache of {@code ark run}: one JSON file per answer under {@code ~/.cache/ark/steps} (or
 * {@code $XDG_CACHE_HOME/ark/steps}), readable by its owner only. Bounded: answers over {@link CacheWrite#MAX_OUTPUT_BYTES}
 * are not kept, and after each write the oldest files go until at most {@code maxEntries} and {@code maxBytes} remain.
 * An unreadable or expired file is a miss. Writes are atomic renames, so runs at once do not see half an answer.
 */
public final class DiskStepCache implements StepCacheStore {
    static final int DEFAULT_MAX_ENTRIES = 1000;
    static final long DEFAULT_MAX_BYTES = 64L << 20;
    private static final Pattern KEY = Pattern.compile("[0-9a-f]{64}");

    private final Path dir;
    private final String salt;
    private final int maxEntries;
    private final long maxBytes;

    /** @param salt what else the answers depend on in this process (a provider forced for every role), or "" */
    public DiskStepCache(Path dir, String salt, int maxEntries, long maxBytes) {
        this.dir = dir;
        this.salt = salt;
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
    }

    public DiskStepCache(Path dir, String salt) {
        this(dir, salt, DEFAULT_MAX_ENTRIES, DEFAULT_MAX_BYTES);
    }

    /** {@code $XDG_CACHE_HOME/ark/steps}, else {@code ~/.cache/ark/steps}. */
    public static Path defaultDir(Map<String, String> env) {
        String xdg = env.get("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg)
                : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".cache");
        return base.resolve("ark").resolve("steps");
    }

    @Override
    public Optional<CachedAnswer> find(CacheLookup lookup, Instant now) {
        return find(lookup.key(), lookup.maxAge(), now);
    }

    Optional<CachedAnswer> find(String key, Duration maxAge, Instant now) {
        String text;
        try {
            text = Files.readString(file(key), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return Optional.empty();
        }
        return CachedAnswer.fromJson(text).filter(answer -> answer.freshFor(maxAge, now));
    }

    @Override
    public void keep(CacheWrite write) {
        if (!write.fits()) {
            return;
        }
        try {
            createPrivateDir();
            Path target = file(write.key());
            Path temp = Files.createTempFile(dir, ".answer", ".tmp", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temp, write.toJson(), StandardCharsets.UTF_8);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            prune();
        } catch (IOException | UnsupportedOperationException e) {
            // a cache that cannot be written is a cache that misses: the run itself goes on
        }
    }

    private Path file(String key) {
        String name = StepCacheKey.salted(key, salt);
        if (!KEY.matcher(name).matches()) {
            throw new IllegalArgumentException("not a step cache key: " + name);
        }
        return dir.resolve(name + ".json");
    }

    private void createPrivateDir() throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
    }

    /** Oldest answers go first until the cache is within its bounds. */
    private void prune() throws IOException {
        record Kept(Path path, FileTime modified, long bytes) {
        }
        List<Kept> kept = new ArrayList<>();
        long total = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
            for (Path path : files) {
                try {
                    long bytes = Files.size(path);
                    kept.add(new Kept(path, Files.getLastModifiedTime(path), bytes));
                    total += bytes;
                } catch (NoSuchFileException gone) {
                    // another run pruned it meanwhile
                }
            }
        }
        if (kept.size() <= maxEntries && total <= maxBytes) {
            return;
        }
        kept.sort(Comparator.comparing(Kept::modified));
        int count = kept.size();
        for (Kept oldest : kept) {
            if (count <= maxEntries && total <= maxBytes) {
                break;
            }
            Files.deleteIfExists(oldest.path());
            count--;
            total -= oldest.bytes();
        }
    }
}
