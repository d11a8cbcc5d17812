package dev.arkonis.ark.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.dashboard.view.Graph;
import dev.arkonis.ark.dashboard.view.GraphLayout;
import dev.arkonis.ark.dashboard.view.GraphStep;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class GraphLayoutTest {
    private static GraphStep step(String name, String phase, String... deps) {
        return new GraphStep(name, "r", List.of(deps), phase, "", false, 0, "#step-" + name);
    }

    private static Graph layout(List<GraphStep> steps, String zoom) {
        return GraphLayout.layout(steps, zoom, cols -> "?columns=" + cols, "#steps");
    }

    private static Graph.Node node(Graph g, String id) {
        return g.nodes().stream().filter(n -> n.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void aDiamondIsDrawnInColumnsByDepthWithAnEdgePerDependencyAndSkippedBranchesDashed() {
        Graph g = layout(List.of(step("plan", "Succeeded"), step("left", "Succeeded", "plan"),
                step("right", "Skipped", "plan"), step("join", "Running", "left", "right")), null);
        assertThat(g.nodes()).extracting(Graph.Node::id).containsExactlyInAnyOrder("n-plan", "n-left", "n-right", "n-join");
        assertThat(node(g, "n-left").x()).isEqualTo(node(g, "n-right").x()).isGreaterThan(node(g, "n-plan").x());
        assertThat(node(g, "n-join").x()).isGreaterThan(node(g, "n-left").x());
        assertThat(node(g, "n-left").y()).isNotEqualTo(node(g, "n-right").y());
        assertThat(g.edges()).extracting(Graph.Edge::id)
                .containsExactlyInAnyOrder("e-plan-left", "e-plan-right", "e-left-join", "e-right-join");
        assertThat(g.edges()).filteredOn(Graph.Edge::skipped).extracting(Graph.Edge::id).containsExactly("e-plan-right");
        assertThat(node(g, "n-join").phase()).isEqualTo("Running");
        assertThat(g.note()).isEmpty();
        assertThat(g.width()).isGreaterThanOrEqualTo(node(g, "n-join").x() + Graph.NODE_WIDTH);
    }

    @Test
    void aDelegatedStepIsDrawnBesideItsParentWithADottedArrowAndAChosenAgentIsNamedOnItsStep() {
        GraphStep writer = new GraphStep("writer", "writer", List.of(), "Succeeded", "1s · 20 tokens", false, 0,
                "#step-writer", null, "essayist", "compose.essay");
        GraphStep child = new GraphStep("helper-1", "helper", List.of(), "Running", "", false, 0, "#step-helper-1",
                "review", null, null);
        GraphStep grandchild = new GraphStep("checker-1", "checker", List.of(), "Pending", "", false, 0,
                "#step-checker-1", "helper-1", null, null);
        GraphStep routed = new GraphStep("route", "router", List.of(), "Succeeded", "", false, 0, "#step-route", null,
                "generalist", null);
        Graph g = layout(List.of(writer, step("review", "Running", "writer"), child, grandchild, routed), null);

        assertThat(node(g, "n-helper-1").x()).isGreaterThan(node(g, "n-review").x());
        assertThat(node(g, "n-helper-1").y()).as("under its parent's row").isEqualTo(node(g, "n-review").y());
        assertThat(node(g, "n-checker-1").x()).isGreaterThan(node(g, "n-helper-1").x());
        assertThat(node(g, "n-helper-1").parent()).isEqualTo("review");
        assertThat(node(g, "n-helper-1").title()).startsWith("helper-1 (role helper, delegated by review): Running");
        assertThat(g.edges()).filteredOn(Graph.Edge::delegation).extracting(Graph.Edge::id)
                .containsExactlyInAnyOrder("d-review-helper-1", "d-helper-1-checker-1");
        assertThat(g.edges()).filteredOn(e -> !e.delegation()).extracting(Graph.Edge::id).containsExactly("e-writer-review");
        assertThat(g.delegates()).isTrue();

        assertThat(node(g, "n-writer").agent()).isEqualTo("essayist");
        assertThat(node(g, "n-writer").note()).isEqualTo("→ essayist · 1s · 20 tokens");
        assertThat(node(g, "n-writer").title()).startsWith("writer (agent essayist by capability compose.essay): Succeeded");
        assertThat(node(g, "n-route").title()).startsWith("route (agent generalist, the fallback): Succeeded");
        assertThat(node(g, "n-review").agent()).isEmpty();
        assertThat(g.choseAgents()).isTrue();
        assertThat(layout(List.of(step("a", "Running")), null)).satisfies(plain -> {
            assertThat(plain.delegates()).isFalse();
            assertThat(plain.choseAgents()).isFalse();
        });
    }

    @Test
    void twoThousandParallelStepsShowTheMostUrgentAndOneBoxCountingTheRest() {
        List<GraphStep> steps = new ArrayList<>();
        IntStream.range(0, 2000).forEach(i -> steps.add(step("s" + i, i == 1500 ? "Failed" : i % 10 == 0 ? "Running" : "Succeeded")));
        Graph g = layout(steps, null);
        assertThat(g.nodes()).hasSizeLessThanOrEqualTo(150);
        assertThat(g.nodes()).extracting(Graph.Node::id).contains("n-s1500", "n-s0", "n-s10");
        Graph.Node rest = node(g, "g-more");
        int drawn = (int) g.nodes().stream().filter(n -> !n.group()).count();
        assertThat(rest.counts().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(2000 - drawn);
        assertThat(rest.href()).isEqualTo("#steps");
        assertThat(g.note()).contains("2,000 steps");
    }

    @Test
    void aTwoThousandStepChainIsCollapsedIntoGroupsOfColumnsThatZoomIn() {
        List<GraphStep> steps = new ArrayList<>();
        steps.add(step("s0", "Succeeded"));
        IntStream.range(1, 2000).forEach(i -> steps.add(step("s" + i, i < 1200 ? "Succeeded" : i == 1200 ? "Running" : "Pending",
                "s" + (i - 1))));
        Graph g = layout(steps, null);
        assertThat(g.nodes()).hasSize(40).allSatisfy(n -> assertThat(n.group()).isTrue());
        assertThat(g.nodes().stream().mapToInt(n -> n.counts().values().stream().mapToInt(Integer::intValue).sum()).sum())
                .isEqualTo(2000);
        assertThat(g.edges()).hasSize(39);
        Graph.Node first = g.nodes().get(0);
        assertThat(first.href()).isEqualTo("?columns=0-49");
        assertThat(g.nodes().stream().filter(n -> n.phase().equals("Running")).map(Graph.Node::id)).containsExactly("g-1200-1249");

        Graph zoomed = layout(steps, "0-49");
        assertThat(zoomed.nodes()).hasSize(50).noneMatch(Graph.Node::group);
        assertThat(zoomed.edges()).hasSize(49);
        assertThat(zoomed.note()).contains("columns 1–50");
    }
}
