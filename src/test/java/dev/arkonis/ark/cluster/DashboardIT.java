package dev.arkonis.ark.cluster;

import static dev.arkonis.ark.cluster.ArkCluster.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkEvent;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.RunStatus;
import dev.arkonis.ark.api.StepStatus;
import dev.arkonis.ark.dashboard.Browser;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * ark dashboard in a real browser (Debian's chromium) against the real control plane with the operator and agents
 * running: a run started from the team's form is followed live to its end without a reload, its numbers are the
 * status', a failed run says why and is retried from its page, a person whose token may only read one namespace sees
 * only it and is refused an action plainly, an ArkEvent is suspended and resumed; every page fits a desktop and a
 * phone without sideways scrolling (screenshots under target/dashboard-screenshots).
 */
@Order(70)
class DashboardIT {
    static final Path SHOTS = Path.of("target/dashboard-screenshots");
    private static final String TEAM = """
            apiVersion: arkonis.dev/v1alpha1
            kind: ArkTeam
            metadata: {name: diamond}
            spec:
              inputs: [{name: topic, required: true, description: "What to write about"}, {name: words, type: integer, default: 300}]
              roles:
                - name: a
                  model: m
                  provider: mock
                  env: [{name: AGENT_MOCK_LATENCY_MS, value: "1200"}]
              pipeline:
                - {name: plan, role: a, inputs: {prompt: "Plan {{ .input.topic }}"}}
                - {name: left, role: a, dependsOn: [plan], inputs: {prompt: "left of {{ .steps.plan.output }}"}}
                - name: right
                  role: a
                  dependsOn: [plan]
                  if: '{{ eq .input.topic "never" }}'
                  inputs: {prompt: right}
                - {name: join, role: a, dependsOn: [left, right], inputs: {prompt: "{{ .steps.left.output }} in {{ .input.words }} words"}}
            """;
    private static final String STUCK = """
            apiVersion: arkonis.dev/v1alpha1
            kind: ArkTeam
            metadata: {name: flaky}
            spec:
              roles:
                - {name: steady, model: m, provider: mock}
                - {name: absent, model: m, provider: mock, replicas: 0}
              pipeline:
                - {name: fine, role: steady, inputs: {prompt: fine}}
                - {name: stuck, role: absent, timeoutSeconds: 3, inputs: {prompt: stuck}}
                - {name: after, role: steady, dependsOn: [stuck], inputs: {prompt: "{{ .steps.stuck.output }}"}}
            """;

    private static ArkCluster cluster;
    private static TestNamespace ns;
    private static DashboardProcess dashboard;

    @BeforeAll
    static void start() throws Exception {
        cluster = ArkCluster.get();
        ArkRelease ark = cluster.ark();
        ns = TestNamespace.create(cluster, "dash");
        ns.apply(TEAM).assertSuccess();
        ns.apply(STUCK).assertSuccess();
        ns.awaitReadyPods("diamond-a", 1);
        dashboard = DashboardProcess.start(cluster, ark.redisEnv(), "-n", ns.name);
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    static void stop() {
        if (dashboard != null) {
            dashboard.close();
        }
        if (ns != null) {
            ns.close();
        }
    }

    private static Browser signedIn(Browser browser) {
        browser.get(dashboard.url);
        eventually().until(() -> browser.driver.getCurrentUrl().endsWith("/runs"));
        return browser;
    }

    private static long dataValue(WebElement element) {
        return Long.parseLong(element.getAttribute("value"));
    }

    private static String datetime(Browser browser, String css) {
        return browser.find(css).getAttribute("datetime");
    }

    @Test
    void aRunStartedFromItsTeamsFormIsFollowedLiveToItsEndWithTheNumbersOfItsStatus() {
        try (Browser browser = signedIn(Browser.desktop(1280, 800))) {
            browser.get(dashboard.base + "/namespaces/" + ns.name + "/teams/diamond");
            assertThat(browser.find("label[for='in-topic']").getText()).contains("topic", "(required)");
            assertThat(browser.find("#in-words").getAttribute("type")).isEqualTo("number");
            browser.find("form.trigger button[type='submit']").click();
            eventually().untilAsserted(() -> assertThat(browser.find("#trigger [role='alert']").getText())
                    .contains("input \"topic\" is required"));

            browser.find("#in-topic").sendKeys("graphs");
            browser.find("#in-words").sendKeys("120");
            browser.find("form.trigger button[type='submit']").click();
            eventually().until(() -> browser.driver.getCurrentUrl().contains("/namespaces/" + ns.name + "/runs/diamond-"));
            String run = browser.driver.getCurrentUrl().substring(browser.driver.getCurrentUrl().lastIndexOf('/') + 1);
            assertThat(browser.find(".notice").getText()).contains("Run " + run + " of team diamond started");
            assertThat(ns.run(run).getSpec().input().toString()).isEqualTo("{\"topic\":\"graphs\",\"words\":120}");

            // the whole pipeline is drawn from the start; the page is then only ever patched, never reloaded
            assertThat(nodeIds(browser)).containsExactlyInAnyOrder("n-plan", "n-left", "n-right", "n-join");
            browser.js("window.arkNoReload = 'still here'");
            eventually().atMost(Duration.ofSeconds(120)).until(() -> "done".equals(browser.find("#live").getAttribute("data-state")));
            assertThat(browser.js("return window.arkNoReload")).isEqualTo("still here");
            assertThat(Integer.parseInt(browser.find("#live").getAttribute("data-updates"))).isPositive();

            RunStatus status = ns.run(run).getStatus();
            assertThat(status.phase()).isEqualTo(RunPhase.Succeeded);
            assertThat(browser.find("#run-title .phase").getText()).isEqualTo("Succeeded");
            assertThat(browser.find("#n-right").getAttribute("class")).contains("phase-Skipped");
            assertThat(browser.find("#e-plan-right").getAttribute("class")).contains("skipped");
            assertThat(browser.find("#n-join").getAttribute("class")).contains("phase-Succeeded");
            assertThat(dataValue(browser.find("#run-tokens"))).isEqualTo(status.totalTokenUsage().totalTokens()).isPositive();
            assertThat(datetime(browser, "#run-duration time")).isEqualTo(Duration.between(
                    Instant.parse(status.startTime()), Instant.parse(status.completionTime())).toString());
            for (StepStatus step : status.steps()) {
                String at = "#step-" + step.name();
                assertThat(browser.find(at).getAttribute("data-phase")).as(step.name()).isEqualTo(step.phase().name());
                assertThat(dataValue(browser.find(at + " .step-tokens"))).as(step.name() + " tokens")
                        .isEqualTo(step.tokenUsage() == null ? 0 : step.tokenUsage().totalTokens());
                if (step.completionTime() != null && step.startTime() != null) {
                    assertThat(datetime(browser, at + " summary time")).as(step.name() + " duration").isEqualTo(Duration.between(
                            Instant.parse(step.startTime()), Instant.parse(step.completionTime())).toString());
                }
            }
            assertThat(browser.all("#timeline tbody tr")).hasSize(4);
            assertThat(browser.find("#events").getText()).contains("RunSucceeded");

            browser.get(dashboard.base + "/runs?namespace=" + ns.name);
            WebElement row = browser.find("#run-" + ns.name + "-" + run);
            assertThat(row.getAttribute("data-phase")).isEqualTo("Succeeded");
            assertThat(dataValue(row.findElement(By.cssSelector("td.num data")))).isEqualTo(status.totalTokenUsage().totalTokens());
            assertThat(row.findElement(By.cssSelector("td time[datetime^='PT']")).getAttribute("datetime"))
                    .isEqualTo(Duration.between(Instant.parse(status.startTime()), Instant.parse(status.completionTime())).toString());

            screenshots(browser, "desktop", run);
        }
        try (Browser phone = signedIn(Browser.phone(390, 844))) {
            String run = ns.run(latestRun("diamond")).getMetadata().getName();
            screenshots(phone, "phone", run);
        }
    }

    /** The ids of the graph's boxes, read at once (a live update may replace the graph between two reads). */
    @SuppressWarnings("unchecked")
    private static List<String> nodeIds(Browser browser) {
        return (List<String>) browser.js("return [...document.querySelectorAll('#graph a.node')].map(a => a.id)");
    }

    /** All the text of an element, shown or folded away in a closed details. */
    private static String text(Browser browser, String id) {
        return (String) browser.js("return document.getElementById(arguments[0]).textContent", id);
    }

    private static String latestRun(String team) {
        return cluster.admin.resources(ArkRun.class).inNamespace(ns.name).withLabel(Ark.LABEL_TEAM, team).list().getItems()
                .stream().max(java.util.Comparator.comparing(r -> r.getMetadata().getCreationTimestamp())).orElseThrow()
                .getMetadata().getName();
    }

    /** Every page at this size: no sideways scrolling of the page itself, and a picture of each. */
    private static void screenshots(Browser browser, String size, String run) {
        Map<String, String> pages = Map.of("runs", "/runs?namespace=" + ns.name, "run", "/namespaces/" + ns.name + "/runs/" + run,
                "teams", "/teams?namespace=" + ns.name, "team", "/namespaces/" + ns.name + "/teams/diamond",
                "triggers", "/triggers?namespace=" + ns.name, "tokens", "/tokens?namespace=" + ns.name);
        pages.forEach((name, path) -> {
            browser.get(dashboard.base + path);
            assertThat(browser.overflowsSideways()).as(name + " at " + size + " is wider than the screen").isFalse();
            browser.screenshot(SHOTS.resolve(name + "-" + size + ".png"));
        });
    }

    @Test
    void aFailedRunSaysWhyAndIsRetriedFromItsPage() {
        ns.startRun("f1", "flaky", "{}");
        ns.awaitPhase("f1", RunPhase.Failed);
        try (Browser browser = signedIn(Browser.desktop(1280, 800))) {
            browser.get(dashboard.base + "/namespaces/" + ns.name + "/runs/f1");
            assertThat(browser.find("#run-title .phase").getText()).isEqualTo("Failed");
            assertThat(browser.find("#run-message").getText()).contains(ns.run("f1").getStatus().message()).contains("stuck");
            assertThat(browser.find("#step-stuck").getAttribute("open")).as("a failed step opens by itself").isNotNull();
            assertThat(text(browser, "step-stuck")).contains("timed out after 3s");
            assertThat(text(browser, "step-after")).contains("Skipped because", "DependencyFailed");

            ns.kubectl("scale", "arkagent", "flaky-absent", "--replicas=1").assertSuccess();
            ns.awaitReadyPods("flaky-absent", 1);
            browser.find("#run-summary form[action$='/actions/retry'] button").click();
            eventually().untilAsserted(() -> assertThat(browser.find(".notice").getText()).contains("Retry of run f1 requested"));
            assertThat(ns.run("f1").getMetadata().getAnnotations()).containsKey(Ark.ANNOTATION_RETRY);
            eventually().atMost(Duration.ofSeconds(120)).until(() -> "Succeeded".equals(browser.find("#run-title .phase").getText()));
            assertThat(ns.run("f1").getStatus().steps()).filteredOn(s -> s.name().equals("stuck")).singleElement()
                    .satisfies(s -> assertThat(s.attempts()).isEqualTo(2));
        }
    }

    @Test
    void aDelegatedStepIsDrawnBesideItsParentAndALookedUpStepNamesTheAgentItWasGiven() {
        ns.apply("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkAgent
                metadata: {name: essayist}
                spec:
                  model: m
                  provider: mock
                  capabilities: [{id: compose.essay, description: "Writes essays"}]
                ---
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata: {name: modes}
                spec:
                  roles:
                    - {name: lead, model: m, provider: mock, canDelegate: [helper]}
                    - {name: helper, model: m, provider: mock}
                  pipeline:
                    - {role: writer, registryLookup: {capability: compose.essay}, inputs: {prompt: "an essay on graphs"}}
                    - name: review
                      role: lead
                      dependsOn: [writer]
                      inputs: {prompt: "[mock:delegate helper check the facts] review {{ .steps.writer.output }}"}
                """).assertSuccess();
        ns.awaitReadyPods("essayist", 1);
        ns.awaitReadyPods("modes-lead", 1);
        ns.awaitReadyPods("modes-helper", 1);
        ns.startRun("m1", "modes", "{}");
        RunStatus status = ns.awaitPhase("m1", RunPhase.Succeeded, Duration.ofSeconds(120));
        StepStatus child = status.steps().stream().filter(s -> "review".equals(s.parent())).findFirst().orElseThrow();
        StepStatus writer = status.steps().stream().filter(s -> s.name().equals("writer")).findFirst().orElseThrow();
        assertThat(writer.resolvedAgent()).isEqualTo("essayist");

        try (Browser browser = signedIn(Browser.desktop(1280, 800))) {
            browser.get(dashboard.base + "/namespaces/" + ns.name + "/runs/m1");
            assertThat(nodeIds(browser)).containsExactlyInAnyOrder("n-writer", "n-review", "n-" + child.name());
            WebElement childNode = browser.find("#n-" + child.name());
            assertThat(childNode.getAttribute("data-parent")).isEqualTo("review");
            assertThat(childNode.getAttribute("class")).contains("phase-Succeeded");
            assertThat(childNode.getAttribute("aria-label")).contains("delegated by review");
            // beside its parent, one column right, on its row
            assertThat(box(browser, "n-" + child.name(), "x")).isGreaterThan(box(browser, "n-review", "x"));
            assertThat(box(browser, "n-" + child.name(), "y")).isEqualTo(box(browser, "n-review", "y"));
            assertThat(browser.find("#d-review-" + child.name()).getAttribute("class")).contains("delegation");
            assertThat(browser.find("#graph-delegates").getText()).contains("delegate calls");

            WebElement looked = browser.find("#n-writer");
            assertThat(looked.getAttribute("data-agent")).isEqualTo("essayist");
            assertThat(browser.find("#n-writer text.note").getText()).contains("→ essayist");
            assertThat(looked.getAttribute("aria-label")).contains("agent essayist by capability compose.essay");
            assertThat(browser.find("#graph-agents").getText()).contains("the agent routing or a registry lookup chose");
            // and each step's details say the same
            assertThat(text(browser, "step-" + child.name())).contains("Delegated by", "review: check the facts");
            assertThat(text(browser, "step-writer")).contains("Agent", "essayist (capability compose.essay)");
        }
    }

    /** Where a graph box is drawn: its rectangle's {@code x} or {@code y}. */
    private static int box(Browser browser, String id, String coordinate) {
        return ((Number) browser.js("return document.getElementById(arguments[0]).querySelector('rect')[arguments[1]]"
                + ".baseVal.value", id, coordinate)).intValue();
    }

    @Test
    void aPersonWhoseTokenMayOnlyReadOneNamespaceSeesOnlyItAndIsRefusedActionsPlainly() throws Exception {
        ns.apply("""
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: viewer}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata: {name: ark-viewer}
                rules:
                  - apiGroups: [arkonis.dev]
                    resources: [arkruns, arkteams, arkagents, arkevents, arknotifies]
                    verbs: [get, list, watch]
                  - apiGroups: [""]
                    resources: [events]
                    verbs: [list, watch]
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: viewer-reads}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: ark-viewer}
                subjects: [{kind: ServiceAccount, name: viewer}]
                """).assertSuccess();
        ns.apply(STUCK.replace("name: flaky", "name: stuck").replace("replicas: 0}", "replicas: 0}")).assertSuccess();
        ns.startRun("s1", "stuck", "{}");
        ns.awaitPhase("s1", RunPhase.Failed);
        String token = cluster.admin.serviceAccounts().inNamespace(ns.name).withName("viewer")
                .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
                .getStatus().getToken();
        try (DashboardProcess tokens = DashboardProcess.start(cluster, Map.of(), "--sign-in", "token", "-A");
             Browser browser = Browser.desktop(1280, 800)) {
            browser.get(tokens.base + "/runs");
            eventually().until(() -> browser.driver.getCurrentUrl().endsWith("/sign-in"));
            browser.find("#secret").sendKeys("not-a-token");
            browser.find("#sign-in button").click();
            eventually().untilAsserted(() -> assertThat(browser.find("[role='alert']").getText()).contains("did not accept this token"));
            browser.find("#secret").sendKeys(token);
            browser.find("#sign-in button").click();
            String user = "system:serviceaccount:" + ns.name + ":viewer";
            eventually().untilAsserted(() -> assertThat(browser.find(".who").getText()).contains(user));
            assertThat(browser.find("h1").getText()).isEqualTo("Not allowed");
            assertThat(browser.find("[role='alert']").getText()).contains(user + " may not list runs", "403");

            browser.get(tokens.base + "/runs?namespace=" + ns.name);
            assertThat(browser.find("#run-" + ns.name + "-s1").getAttribute("data-phase")).isEqualTo("Failed");
            browser.get(tokens.base + "/runs?namespace=default");
            assertThat(browser.find("[role='alert']").getText()).contains(user + " may not list runs in namespace default");

            browser.get(tokens.base + "/namespaces/" + ns.name + "/runs/s1");
            browser.find("#run-summary form[action$='/actions/retry'] button").click();
            eventually().untilAsserted(() -> assertThat(browser.find(".notice.error").getText())
                    .contains(user + " may not retry failed steps in namespace " + ns.name, "(403 Forbidden)",
                            "cannot patch resource \"arkruns\""));
            assertThat(ns.run("s1").getMetadata().getAnnotations()).doesNotContainKey(Ark.ANNOTATION_RETRY);

            browser.get(tokens.base + "/namespaces/" + ns.name + "/teams/diamond");
            browser.find("#in-topic").sendKeys("anything");
            browser.find("form.trigger button[type='submit']").click();
            eventually().untilAsserted(() -> assertThat(browser.find("#trigger [role='alert']").getText())
                    .contains(user + " may not start a run in namespace " + ns.name, "cannot create resource \"arkruns\""));

            browser.find(".who button").click();
            eventually().until(() -> browser.driver.getCurrentUrl().endsWith("/sign-in"));
            browser.get(tokens.base + "/runs?namespace=" + ns.name);
            assertThat(browser.driver.getCurrentUrl()).as("signed out: the session is gone").endsWith("/sign-in");
        }
    }

    @Test
    void anArkEventIsSuspendedAndResumedFromTheTriggersPage() {
        ns.apply("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkEvent
                metadata: {name: nightly}
                spec:
                  source: {type: cron, cron: "0 3 * * *"}
                  targets: [{team: diamond, input: {topic: night}}]
                """).assertSuccess();
        eventually().until(() -> cluster.admin.resources(ArkEvent.class).inNamespace(ns.name).withName("nightly").get()
                .getStatus() != null);
        try (Browser browser = signedIn(Browser.desktop(1280, 800))) {
            browser.get(dashboard.base + "/triggers?namespace=" + ns.name);
            WebElement row = browser.find("#event-" + ns.name + "-nightly");
            assertThat(row.getText()).contains("cron", "0 3 * * * (UTC)", "diamond", "active");
            assertThat(row.findElement(By.cssSelector("time")).getAttribute("datetime"))
                    .isEqualTo(cluster.admin.resources(ArkEvent.class).inNamespace(ns.name).withName("nightly").get()
                            .getStatus().nextFireAt());
            row.findElement(By.cssSelector("form button")).click();
            eventually().untilAsserted(() -> assertThat(browser.find(".notice").getText()).contains("ArkEvent nightly suspended"));
            assertThat(cluster.admin.resources(ArkEvent.class).inNamespace(ns.name).withName("nightly").get().getSpec()
                    .isSuspended()).isTrue();
            assertThat(browser.find("#event-" + ns.name + "-nightly").getText()).contains("suspended");
            browser.find("#event-" + ns.name + "-nightly form button").click();
            eventually().untilAsserted(() -> assertThat(browser.find(".notice").getText()).contains("ArkEvent nightly resumed"));
            assertThat(cluster.admin.resources(ArkEvent.class).inNamespace(ns.name).withName("nightly").get().getSpec()
                    .isSuspended()).isFalse();
            assertThat(List.of(browser.find("#event-" + ns.name + "-nightly").getText())).allSatisfy(t -> assertThat(t).contains("active"));
        }
    }
}
