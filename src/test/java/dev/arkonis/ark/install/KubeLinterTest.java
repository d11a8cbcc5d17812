package dev.arkonis.ark.install;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import dev.arkonis.ark.tools.GoProgram;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart as kube-linter v0.8.3 (built from its Go module in src/test/kube-linter) judges it with its default checks:
 * no finding, apart from the exclusions in .kube-linter.yaml, each of which says why it is a deliberate choice.
 */
class KubeLinterTest {
    private static final GoProgram KUBE_LINTER = new GoProgram(Path.of("src/test/kube-linter"), "kube-linter",
            "golang.stackrox.io/kube-linter/cmd/kube-linter", List.of("go.mod", "go.sum", "tools.go"));
    private static final Path CONFIG = Path.of(".kube-linter.yaml");

    @Test
    void theChartPassesKubeLintersDefaultChecks() throws IOException, InterruptedException {
        assertLintsClean(Path.of("helm/ark"));
    }

    /** The Sentinel set (off by default, so not in the chart's own lint), rendered as helm install would apply it. */
    @Test
    void theSentinelSetPassesToo(@TempDir Path dir) throws IOException, InterruptedException {
        Path manifest = dir.resolve("sentinel.yaml");
        Files.writeString(manifest, new Helm(Path.of("helm/ark")).template().withName("ark").withNamespace("ark-system")
                .set("redis.sentinel.enabled", "true").set("redis.persistence.enabled", "true").call());
        assertThat(Files.readString(manifest)).contains("name: ark-redis-sentinel");
        assertLintsClean(manifest);
    }

    private static void assertLintsClean(Path target) throws IOException, InterruptedException {
        Process lint = new ProcessBuilder(KUBE_LINTER.binary().toString(), "lint", "--config", CONFIG.toString(),
                target.toString()).redirectErrorStream(true).start();
        String out = new String(lint.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(lint.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(lint.exitValue()).as(out).isZero();
        assertThat(out).contains("No lint errors found!");
    }

    @Test
    void everyExclusionSaysWhy() throws IOException {
        List<String> lines = Files.readAllLines(CONFIG);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.startsWith("- ") && inExclude(lines, i)) {
                assertThat(line).as("exclusion on line " + (i + 1) + " of " + CONFIG + " gives its reason")
                        .matches("- \"?[a-z-]+\"?\\s+# .{10,}");
            }
        }
    }

    private static boolean inExclude(List<String> lines, int index) {
        for (int i = index - 1; i >= 0; i--) {
            String line = lines.get(i).strip();
            if (line.endsWith(":")) {
                return line.equals("exclude:");
            }
        }
        return false;
    }
}
