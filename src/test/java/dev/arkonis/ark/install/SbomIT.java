package dev.arkonis.ark.install;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The software bill of materials the build leaves in target/sbom (and Jib copies into the image): CycloneDX, listing
 * every library ark.jar (so the image) holds at the version it holds, none of the tests', and none of the versions
 * with the known CVEs that were bumped away.
 */
class SbomIT {
    private static final Path SBOM = Path.of("target/sbom/ark.cdx.json");
    private static final Pattern POM_PROPERTIES = Pattern.compile("META-INF/maven/([^/]+)/([^/]+)/pom\\.properties");
    /** Libraries whose classes another one carries relocated: the SBOM lists the one that carries them. */
    private static final Map<String, String> CARRIED = Map.of("org.jctools:jctools-core", "io.netty:netty-common",
            "com.github.stephenc.jcip:jcip-annotations", "com.nimbusds:nimbus-jose-jwt",
            "com.google.code.gson:gson", "com.nimbusds:nimbus-jose-jwt");

    private static Map<String, String> sbom() throws IOException {
        assertThat(SBOM).as("the CycloneDX plugin writes it at package, online only: mvn -o skips it").exists();
        JsonNode bom = new ObjectMapper().readTree(SBOM.toFile());
        assertThat(bom.path("bomFormat").asText()).isEqualTo("CycloneDX");
        assertThat(bom.path("metadata").path("component").path("purl").asText()).startsWith("pkg:maven/dev.arkonis/ark@");
        Map<String, String> components = new HashMap<>();
        bom.path("components").forEach(c -> components.put(c.path("group").asText() + ":" + c.path("name").asText(),
                c.path("version").asText()));
        return components;
    }

    /** group:artifact to version of every library whose Maven metadata the packaged jar carries. */
    private static Map<String, String> jar() throws IOException {
        Map<String, String> libraries = new HashMap<>();
        try (JarFile jar = new JarFile(Path.of(System.getProperty("ark.jar", "target/ark.jar")).toFile())) {
            var entries = jar.entries();
            while (entries.hasMoreElements()) {
                Matcher m = POM_PROPERTIES.matcher(entries.nextElement().getName());
                if (m.matches() && !m.group(1).equals("dev.arkonis")) {
                    Properties props = new Properties();
                    try (InputStream in = jar.getInputStream(jar.getEntry(m.group()))) {
                        props.load(in);
                    }
                    libraries.put(m.group(1) + ":" + m.group(2), props.getProperty("version"));
                }
            }
        }
        return libraries;
    }

    @Test
    void theSbomListsEveryLibraryOfTheJarAtItsVersionAndNoneOfTheTests() throws IOException {
        Map<String, String> sbom = sbom();
        Map<String, String> jar = jar();
        assertThat(jar).hasSizeGreaterThan(50);
        jar.forEach((library, version) -> {
            if (CARRIED.containsKey(library)) {
                assertThat(sbom).containsKey(CARRIED.get(library));
            } else {
                assertThat(sbom).as(library).containsEntry(library, version);
            }
        });
        assertThat(sbom).containsKeys("io.javaoperatorsdk:operator-framework-core", "io.fabric8:kubernetes-client",
                "io.lettuce:lettuce-core", "io.netty:netty-handler", "ch.qos.logback:logback-classic",
                "dev.langchain4j:langchain4j-open-ai", "dev.langchain4j:langchain4j-anthropic",
                "io.modelcontextprotocol.sdk:mcp", "io.opentelemetry:opentelemetry-sdk", "info.picocli:picocli");
        assertThat(sbom).doesNotContainKeys("org.junit.jupiter:junit-jupiter-api", "org.assertj:assertj-core",
                "io.fabric8:kubernetes-server-mock", "org.awaitility:awaitility");
    }

    @Test
    void noLibraryIsAtAVersionWithTheKnownCvesThatWereBumpedAway() throws IOException {
        sbom().forEach((library, version) -> {
            if (library.startsWith("io.netty:")) {
                // CVE-2025-55163, CVE-2025-58056, CVE-2025-58057: fixed in 4.1.125
                assertThat(atLeast(version, 4, 1, 125)).as(library + " " + version).isTrue();
            }
            if (library.startsWith("ch.qos.logback:")) {
                // CVE-2025-11226: fixed in 1.5.19
                assertThat(atLeast(version, 1, 5, 19)).as(library + " " + version).isTrue();
            }
        });
    }

    private static boolean atLeast(String version, int... minimum) {
        String[] parts = version.split("[.-]");
        for (int i = 0; i < minimum.length; i++) {
            int part = Integer.parseInt(parts[i]);
            if (part != minimum[i]) {
                return part > minimum[i];
            }
        }
        return true;
    }
}
