package dev.arkonis.ark.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.ArkTeamSpec;
import dev.arkonis.ark.api.PipelineStep;
import dev.arkonis.ark.api.RunPhase;
import dev.arkonis.ark.api.RunSpec;
import dev.arkonis.ark.api.RunStatus;
import dev.arkonis.ark.api.StepPhase;
import dev.arkonis.ark.api.StepStatus;
import dev.arkonis.ark.api.TeamRef;
import dev.arkonis.ark.api.TokenUsage;
import dev.arkonis.ark.dashboard.Browser;
import dev.arkonis.ark.dashboard.Dashboard;
import dev.arkonis.ark.dashboard.DashboardSettings;
import dev.arkonis.ark.dashboard.Sessions;
import dev.arkonis.ark.dashboard.SharedAccess;
import dev.arkonis.ark.dashboard.web.WebServer;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The page of a 2,000-step run (the engine benchmark's DAG: 200 layers of 10, each step depending on two of the layer
 * before; 1,200 steps done, 10 running, the rest pending; 400-character outputs) served by ark dashboard from the mock
 * API server and loaded by headless chromium: the bytes the browser fetched (the page, its CSS and its script, before
 * compression), the server's time to build the page, and the browser's time to first contentful paint from the start
 * of navigation. A second page with the graph zoomed into five columns. Run:
 * {@code mvn -o -q -DskipTests test-compile exec:java -Dexec.mainClass=dev.arkonis.ark.bench.DashboardBench}
 */
public final class DashboardBench {
    private static final int STEPS = 2000;

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init();
        KubernetesClient created = server.createClient();
        KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(created.getConfiguration())
                .withRequestRetryBackoffLimit(0).build()).build();
        client.resources(ArkRun.class).inNamespace("bench").resource(run()).create();
        SharedAccess access = SharedAccess.withCode(client, "bench");
        DashboardSettings settings = new DashboardSettings("127.0.0.1", 0, DashboardSettings.SignIn.CODE, false, List.of(),
                Duration.ofMinutes(30), Duration.ofHours(8), "bench", java.util.Optional.empty());
        Dashboard dashboard = new Dashboard(settings, access, new Sessions(settings.sessionIdle(), settings.sessionLifetime(),
                Clock.systemUTC()));
        WebServer web = new WebServer("127.0.0.1", 0, dashboard::handle);
        web.start();
        String base = "http://127.0.0.1:" + web.port();
        try (Browser browser = Browser.desktop(1280, 800)) {
            browser.get(base + "/sign-in#code=" + access.code());
            System.out.println("page | HTML bytes | CSS+JS bytes | server build p50 | first contentful paint p50 | p90");
            for (String page : List.of("/namespaces/bench/runs/big", "/namespaces/bench/runs/big?columns=100-104")) {
                double[] build = new double[rounds];
                double[] paint = new double[rounds];
                long html = 0;
                long assets = 0;
                for (int i = -1; i < rounds; i++) {
                    browser.get(base + page);
                    @SuppressWarnings("unchecked")
                    Map<String, Object> t = (Map<String, Object>) browser.js("""
                            const nav = performance.getEntriesByType('navigation')[0];
                            const fcp = performance.getEntriesByName('first-contentful-paint')[0]
                                || performance.getEntriesByName('first-paint')[0];
                            const assets = performance.getEntriesByType('resource')
                                .filter(r => r.name.includes('/static/')).reduce((n, r) => n + r.decodedBodySize, 0);
                            return {build: nav.responseStart - nav.requestStart, paint: fcp ? fcp.startTime : -1,
                                    html: nav.decodedBodySize, assets: assets};""");
                    if (i >= 0) {
                        build[i] = ((Number) t.get("build")).doubleValue();
                        paint[i] = ((Number) t.get("paint")).doubleValue();
                        if (paint[i] < build[i]) {
                            throw new IllegalStateException("no first paint recorded for " + page + ": " + t);
                        }
                    }
                    html = ((Number) t.get("html")).longValue();
                    assets = Math.max(assets, ((Number) t.get("assets")).longValue());
                    if (browser.overflowsSideways() || browser.all("#graph a.node").isEmpty()) {
                        throw new IllegalStateException("the page of " + page + " is not as it should be");
                    }
                }
                Stats p = Stats.of(paint);
                System.out.printf("%s | %,d | %,d | %.0f ms | %.0f ms | %.0f ms (graph: %d boxes)%n", page, html, assets,
                        Stats.of(build).percentile(50), p.percentile(50), p.percentile(90), browser.all("#graph a.node").size());
            }
        } finally {
            web.close();
            dashboard.close();
            server.destroy();
        }
    }

    static ArkRun run() {
        ArkTeamSpec spec = EngineBench.dag(STEPS);
        List<StepStatus> steps = new ArrayList<>();
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        String output = "x".repeat(380) + " (mock output)";
        for (int i = 0; i < STEPS; i++) {
            PipelineStep p = spec.steps().get(i);
            StepPhase phase = i < 1200 ? StepPhase.Succeeded : i < 1210 ? StepPhase.Running : StepPhase.Pending;
            Instant began = phase == StepPhase.Pending ? null : start.plusMillis(i * 150L);
            steps.add(new StepStatus(p.effectiveName(), "r", phase, phase == StepPhase.Pending ? null : "big/" + p.effectiveName() + "/1",
                    phase == StepPhase.Pending ? 0 : 1, 0, began == null ? null : began.toString(),
                    phase == StepPhase.Succeeded ? began.plusMillis(900).toString() : null, null,
                    phase == StepPhase.Succeeded ? output : null, null, null,
                    phase == StepPhase.Succeeded ? TokenUsage.of(120, 95) : TokenUsage.ZERO, null, null, null, null, 40L));
        }
        ArkRun run = new ArkRun();
        run.setMetadata(new ObjectMetaBuilder().withName("big").withNamespace("bench").addToLabels(Ark.LABEL_TEAM, "bench")
                .withCreationTimestamp(start.toString()).build());
        run.setSpec(new RunSpec(new TeamRef("bench"), null, null, null, null));
        run.setStatus(new RunStatus(RunPhase.Running, start.toString(), null, null, steps, "1200/2000", null, null,
                TokenUsage.of(120 * 1200, 95 * 1200), null, null, null, null, new ObjectMapper().valueToTree(spec), null, null));
        return run;
    }
}
