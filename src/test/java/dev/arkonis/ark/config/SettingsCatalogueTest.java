package dev.arkonis.ark.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.arkonis.ark.agent.AgentVariables;
import dev.arkonis.ark.cli.CliVariables;
import dev.arkonis.ark.operator.OperatorAssembly;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The settings cannot drift from the code: every variable name the code spells out is declared, every variable the
 * chart sets is one its process declares, every chart value named exists, and the README's tables are the
 * declarations. {@code -Dark.writeReadme=true} rewrites the README's tables from the declarations.
 */
class SettingsCatalogueTest {
    private static final Path README = Path.of("README.md");
    /** Names the code spells out that no ark process reads: the JVM's, which the operator keeps out of a role's env. */
    private static final Set<String> NOT_READ = Set.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS");

    private static Map<String, ProcessSettings> processes() {
        Map<String, ProcessSettings> processes = new LinkedHashMap<>();
        for (ProcessSettings process : List.of(OperatorAssembly.SETTINGS, AgentVariables.SETTINGS, CliVariables.SETTINGS)) {
            processes.put(process.process(), process);
        }
        return processes;
    }

    private static List<Setting<?>> all() {
        return processes().values().stream().flatMap(p -> p.settings().stream()).toList();
    }

    @Test
    void everyVariableTheCodeNamesIsDeclared() {
        Set<String> declared = new TreeSet<>();
        List<String> prefixes = new ArrayList<>();
        for (Setting<?> setting : all()) {
            setting.familyPrefix().ifPresentOrElse(prefixes::add, () -> declared.add(setting.name()));
        }
        List<VariableNames.Found> named = new ArrayList<>(VariableNames.inJava(Path.of("operator/src/main/java")));
        named.addAll(VariableNames.inPlaceholders(Path.of("operator/src/main/resources/logback.xml")));
        List<String> undeclared = named.stream()
                .filter(f -> !NOT_READ.contains(f.name()) && !declared.contains(f.name()))
                .filter(f -> prefixes.stream().noneMatch(p -> f.isPrefix() ? p.startsWith(f.name()) : f.name().startsWith(p)))
                .map(f -> f.name() + " (" + f.where() + ")").toList();
        assertThat(undeclared).as("variables the code names but no process declares: declare each as a Setting"
                + " where it is read, and list it in its process' settings (OperatorAssembly.SETTINGS,"
                + " AgentVariables.SETTINGS, CliVariables.SETTINGS)").isEmpty();
        assertThat(named).as("the scan finds what the readers read").extracting(VariableNames.Found::name)
                .contains("TASK_QUEUE_URL", "RECONCILE_THREADS", "AGENT_TOOL_TIMEOUT_SECONDS", "KUBECONFIG", "TERM",
                        "ARK_MCP_", "ARK_LOG_LEVEL");
    }

    @Test
    void theScanFindsANameReadAnyWayTheCodeReadsIt() {
        List<String> found = new ArrayList<>();
        VariableNames.literals("""
                class X {
                    // "IN_A_COMMENT" is no read
                    /* nor "IN_A_BLOCK" */
                    String a = settings.optional("MODEL_CATALOG").orElse("x // y");
                    String b = env.get("HOME");
                    String c = "Not a name", d = "GET";
                    static final String E = "AGENT_TEMPERATURE";
                    char q = '"';
                    String f = "ARK_MODEL_" + i;
                }
                """, (literal, line, before) -> found.add(literal + "@" + line + (before.endsWith("(") ? " first" : "")));
        assertThat(found).containsExactly("MODEL_CATALOG@4 first", "x // y@4 first", "HOME@5 first", "Not a name@6", "GET@6",
                "AGENT_TEMPERATURE@7", "ARK_MODEL_@9");
    }

    @Test
    void everyVariableTheChartSetsIsDeclaredByItsProcess() throws IOException {
        assertThat(chartEnv("deployment.yaml")).as("the operator's container")
                .isSubsetOf(OperatorAssembly.SETTINGS.names());
        assertThat(chartEnv("dashboard.yaml")).as("the dashboard's container").isSubsetOf(CliVariables.SETTINGS.names());
    }

    @Test
    void everyChartValueNamedIsInTheValues() throws IOException {
        JsonNode values = new ObjectMapper(new YAMLFactory()).readTree(Path.of("helm/ark/values.yaml").toFile());
        for (Setting<?> setting : all()) {
            setting.chartValue().ifPresent(path -> {
                JsonNode node = values;
                for (String key : path.split("\\.")) {
                    node = node.path(key);
                }
                assertThat(node.isMissingNode()).as(setting.name() + ": chart value " + path).isFalse();
            });
        }
    }

    @Test
    void everyDocumentedSettingSaysWhatItMeans() {
        assertThat(all()).filteredOn(s -> !s.testKnob() && s.meaning().isBlank()).extracting(Setting::name).isEmpty();
    }

    @Test
    void theReadmeTablesAreTheDeclarations() throws IOException {
        if (Boolean.getBoolean("ark.writeReadme")) {
            String readme = Files.readString(README);
            for (ProcessSettings process : processes().values()) {
                Matcher table = table(readme, process);
                readme = readme.substring(0, table.start(1)) + SettingsTable.markdown(process)
                        + readme.substring(table.end(1));
            }
            Files.writeString(README, readme);
        }
        String readme = Files.readString(README);
        for (ProcessSettings process : processes().values()) {
            assertThat(table(readme, process).group(1)).as("README.md's table of the " + process.process()
                    + "'s settings is generated from its declarations: edit those, then run"
                    + " mvn -o -q -B test -Dtest=SettingsCatalogueTest -Dark.writeReadme=true")
                    .isEqualTo(SettingsTable.markdown(process));
        }
    }

    private static Matcher table(String readme, ProcessSettings process) {
        Matcher m = Pattern.compile("<!-- settings:" + process.process() + " .*?-->\n(.*?)<!-- end settings:"
                + process.process() + " -->", Pattern.DOTALL).matcher(readme);
        assertThat(m.find()).as("README.md has the table of the " + process.process() + "'s settings").isTrue();
        return m;
    }

    private static Set<String> chartEnv(String template) throws IOException {
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("- name: ([A-Z][A-Z0-9_]*)\\s*$", Pattern.MULTILINE)
                .matcher(Files.readString(Path.of("helm/ark/templates", template)));
        while (m.find()) {
            names.add(m.group(1));
        }
        assertThat(names).as(template + " sets variables").isNotEmpty();
        return names;
    }

}
