package dev.arkonis.ark.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The committed crds/ must be exactly what the Java model generates (crd-generator runs at process-classes). */
class CrdDriftTest {
    private static final Path GENERATED = Path.of("target/classes/META-INF/fabric8");
    private static final Path COMMITTED = Path.of("crds");
    private static final String HOW_TO_FIX =
            "crds/ is stale: run `mvn -q process-classes && cp target/classes/META-INF/fabric8/*-v1.yml crds/` and commit";

    @Test
    void committedCrdsMatchTheModel() throws IOException {
        List<Path> generated = crdFiles(GENERATED);
        assertThat(generated).extracting(p -> p.getFileName().toString())
                .containsExactlyInAnyOrder("arkteams.arkonis.dev-v1.yml", "arkagents.arkonis.dev-v1.yml",
                        "arkruns.arkonis.dev-v1.yml", "arkevents.arkonis.dev-v1.yml", "arknotifies.arkonis.dev-v1.yml",
                        "arkregistries.arkonis.dev-v1.yml", "arksettings.arkonis.dev-v1.yml");
        assertThat(crdFiles(COMMITTED)).extracting(p -> p.getFileName().toString())
                .as(HOW_TO_FIX)
                .containsExactlyInAnyOrderElementsOf(generated.stream().map(p -> p.getFileName().toString()).toList());
        for (Path file : generated) {
            assertThat(Files.readString(COMMITTED.resolve(file.getFileName())))
                    .as(HOW_TO_FIX + " (" + file.getFileName() + ")")
                    .isEqualTo(Files.readString(file));
        }
    }

    private static List<Path> crdFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
        }
    }
}
