package dev.arkonis.ark.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.api.TokenUsage;
import dev.arkonis.ark.flow.CacheWrite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskStepCacheTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static String key(int n) {
        return String.format("%064x", n);
    }

    private static CacheWrite write(int n, String output) {
        return new CacheWrite("s", "r", key(n), Duration.ofHours(1), output, TokenUsage.of(3, 2), "run" + n, T0);
    }

    @Test
    void anAnswerIsFoundWithinItsAgeOnlyAndReadableByItsOwnerOnly(@TempDir Path home) throws Exception {
        Path dir = home.resolve("steps");
        DiskStepCache cache = new DiskStepCache(dir, "");
        cache.keep(write(1, "hello"));
        assertThat(cache.find(key(1), Duration.ofMinutes(5), T0.plusSeconds(300))).hasValueSatisfying(a -> {
            assertThat(a.output()).isEqualTo("hello");
            assertThat(a.run()).isEqualTo("run1");
            assertThat(a.at()).isEqualTo(T0);
            assertThat(a.tokens()).isEqualTo(TokenUsage.of(3, 2));
        });
        assertThat(cache.find(key(1), Duration.ofMinutes(5), T0.plusSeconds(301))).isEmpty();
        assertThat(cache.find(key(2), Duration.ofDays(1), T0)).isEmpty();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        try (var files = Files.list(dir)) {
            assertThat(files).allSatisfy(f -> assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
                    .isEqualTo("rw-------"));
        }
    }

    @Test
    void theOldestAnswersGoOnceTheCacheIsFullAndHugeAnswersAreNotKept(@TempDir Path dir) throws Exception {
        DiskStepCache cache = new DiskStepCache(dir, "", 3, 1 << 20);
        for (int n = 1; n <= 5; n++) {
            cache.keep(write(n, "answer " + n));
            Path file = dir.resolve(key(n) + ".json");
            Files.setLastModifiedTime(file, FileTime.from(T0.plusSeconds(n)));
        }
        try (var files = Files.list(dir)) {
            assertThat(files.filter(f -> f.toString().endsWith(".json"))).hasSize(3);
        }
        assertThat(cache.find(key(1), Duration.ofDays(1), T0)).isEmpty();
        assertThat(cache.find(key(5), Duration.ofDays(1), T0)).isPresent();
        cache.keep(write(9, "x".repeat(dev.arkonis.ark.flow.CacheWrite.MAX_OUTPUT_BYTES + 1)));
        assertThat(cache.find(key(9), Duration.ofDays(1), T0)).isEmpty();
    }

    @Test
    void aDamagedFileIsAMissAndTheSaltKeepsProvidersApart(@TempDir Path dir) throws Exception {
        DiskStepCache plain = new DiskStepCache(dir, "");
        plain.keep(write(1, "real"));
        assertThat(new DiskStepCache(dir, "provider=mock").find(key(1), Duration.ofDays(1), T0)).isEmpty();
        Files.writeString(dir.resolve(key(1) + ".json"), "{not json");
        assertThat(plain.find(key(1), Duration.ofDays(1), T0)).isEmpty();
    }

    @Test
    void itLivesUnderXdgCacheHomeElseHomeDotCache() {
        assertThat(DiskStepCache.defaultDir(Map.of("XDG_CACHE_HOME", "/x/cache", "HOME", "/home/a")))
                .isEqualTo(Path.of("/x/cache/ark/steps"));
        assertThat(DiskStepCache.defaultDir(Map.of("HOME", "/home/a"))).isEqualTo(Path.of("/home/a/.cache/ark/steps"));
    }
}
