package dev.arkonis.ark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.ArkTeam;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Every command that starts a run takes --input in the same forms and words its refusals the same plain way. */
class RunInputFormsTest {
    private static final String TEAM = """
            apiVersion: arkonis.dev/v1alpha1
            kind: ArkTeam
            metadata: {name: shop, namespace: forms}
            spec:
              inputs:
                - {name: count, type: integer}
                - {name: product, type: string}
              roles: [{name: r, model: m, provider: mock}]
              pipeline: [{role: r, inputs: {prompt: "{{ .input.product }} x{{ .input.count }}"}}]
            """;

    private KubernetesMockServer server;
    private KubernetesClient client;
    @TempDir
    Path dir;

    record Outcome(int exit, String out, String err) {
    }

    @BeforeEach
    void start() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init();
        client = server.createClient();
        create(TEAM);
        create("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata: {name: free, namespace: forms}
                spec:
                  entry: lead
                  roles: [{name: lead, model: m}]
                """);
    }

    @AfterEach
    void stop() {
        client.close();
        server.destroy();
    }

    private void create(String yaml) {
        client.resource(client.resources(ArkTeam.class)
                .load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).item()).create();
    }

    private static Outcome run(Callable<Integer> command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.configure(new CommandLine(command)).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(args);
        return new Outcome(exit, out.toString(), err.toString());
    }

    private Outcome trigger(String... inputs) {
        return run(new TriggerCommand(() -> server.createClient(), Map.of()), args(List.of("shop", "-n", "forms"), inputs));
    }

    private Outcome submit(String team, String task, String... inputs) {
        List<String> head = new ArrayList<>(List.of("--team", team, "-n", "forms"));
        if (task != null) {
            head.add(task);
        }
        return run(new SubmitCommand(() -> server.createClient(), Map.of()), args(head, inputs));
    }

    private Outcome local(String... inputs) throws Exception {
        Path file = dir.resolve("shop.yaml");
        Files.writeString(file, TEAM);
        return run(new RunCommand(Map.of()), args(List.of(file.toString(), "--provider", "mock"), inputs));
    }

    private static String[] args(List<String> head, String... inputs) {
        List<String> all = new ArrayList<>(head);
        for (String input : inputs) {
            all.add("--input");
            all.add(input);
        }
        return all.toArray(String[]::new);
    }

    private String inputOf(Outcome created) {
        String name = created.out().lines().filter(l -> l.startsWith("arkrun ")).findFirst().orElseThrow()
                .split(" ")[1];
        ArkRun run = client.resources(ArkRun.class).inNamespace("forms").withName(name).get();
        return run.getSpec().input().toString();
    }

    @Test
    void triggerTakesKeyValueAndJsonAsRunDoes() throws Exception {
        Outcome pairs = trigger("product=ark", "count=3");
        assertThat(pairs.exit()).as(pairs.err()).isZero();
        assertThat(new ObjectMapper().readTree(inputOf(pairs)))
                .isEqualTo(new ObjectMapper().readTree("{\"product\": \"ark\", \"count\": 3}"));
        Outcome mixed = trigger("{\"product\": \"ark\"}", "count=4");
        assertThat(new ObjectMapper().readTree(inputOf(mixed)))
                .isEqualTo(new ObjectMapper().readTree("{\"product\": \"ark\", \"count\": 4}"));

        Outcome local = local("product=ark", "count=3");
        assertThat(local.exit()).as(local.err()).isZero();
        assertThat(local.out()).contains("mock answer to: ark x3");
    }

    @Test
    void everyCommandRefusesAMalformedInputWithTheSamePlainSentence() throws Exception {
        for (String bad : List.of("product", "{\"product\": ", "[1]")) {
            Outcome trigger = trigger(bad);
            Outcome submit = submit("shop", "a task", bad);
            Outcome local = local(bad);
            for (Outcome refused : List.of(trigger, submit, local)) {
                assertThat(refused.exit()).isEqualTo(2);
                assertThat(refused.err()).contains("error: --input " + bad + ": ")
                        .contains("give a JSON object ('{\"topic\": \"x\"}') or key=value")
                        .doesNotContain("Source", "REDACTED", "Unrecognized token", "Exception");
            }
            assertThat(trigger.err()).isEqualTo(submit.err()).isEqualTo(local.err());
        }
        Outcome notANumber = trigger("count=many");
        assertThat(notANumber.exit()).isEqualTo(2);
        assertThat(notANumber.err()).isEqualTo("error: --input count=many: input \"count\" is declared integer, so its "
                + "value must be JSON (count=300)\n");
        assertThat(local("count=many").err()).isEqualTo(notANumber.err());
        assertThat(client.resources(ArkRun.class).inNamespace("forms").list().getItems()).isEmpty();
    }

    @Test
    void submitPutsTheTaskIntoTheFirstStringInputOrTaskForATeamThatDeclaresNone() throws Exception {
        Outcome shop = submit("shop", "two lamps", "count=2");
        assertThat(shop.exit()).as(shop.err()).isZero();
        assertThat(new ObjectMapper().readTree(inputOf(shop)))
                .isEqualTo(new ObjectMapper().readTree("{\"product\": \"two lamps\", \"count\": 2}"));
        Outcome free = submit("free", "My invoice shows a double charge");
        assertThat(free.exit()).as(free.err()).isZero();
        assertThat(inputOf(free)).isEqualTo("{\"task\":\"My invoice shows a double charge\"}");
        assertThat(client.resources(ArkRun.class).inNamespace("forms").withName(
                free.out().lines().findFirst().orElseThrow().split(" ")[1]).get().getMetadata().getLabels())
                .containsEntry("arkonis.dev/team", "free");

        Outcome nothing = submit("shop", null);
        assertThat(nothing.exit()).isEqualTo(2);
        assertThat(nothing.err()).startsWith("error: give the task text, or --input");
        Outcome nobody = submit("nobody", "x");
        assertThat(nobody.exit()).isEqualTo(2);
        assertThat(nobody.err()).contains("team \"nobody\" not found in namespace forms");
    }
}
