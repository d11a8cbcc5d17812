package dev.arkonis.ark.dashboard.view;

import java.util.List;
import java.util.Map;

/**
 * A pipeline laid out for SVG: steps in columns by depth (a step right of everything it depends on), edges as
 * curves. A large pipeline is collapsed: a column group stands for many steps, with their phases counted, and links
 * to the same page zoomed into its columns.
 *
 * @param note what was collapsed or left out, for people; empty when every step is drawn
 */
public record Graph(int width, int height, List<Node> nodes, List<Edge> edges, String note, int steps) {
    public static final int NODE_WIDTH = 190;
    public static final int NODE_HEIGHT = 46;

    /** Whether a step delegated to another (a dotted arrow leads to the child step). */
    public boolean delegates() {
        return edges.stream().anyMatch(Edge::delegation);
    }

    /** Whether routing or a registryLookup chose the agent of a drawn step. */
    public boolean choseAgents() {
        return nodes.stream().anyMatch(n -> !n.agent().isEmpty());
    }

    /**
     * One box: a step ({@code group} false), or a group of steps ({@code counts} by phase). {@code id} is stable
     * across renders, so a live update replaces the same box. {@code parent} and {@code agent} are a delegated step's
     * parent and the agent routing or a lookup chose, else empty.
     */
    public record Node(String id, String label, String title, String phase, String note, String badge, boolean group,
            Map<String, Integer> counts, int x, int y, String href, String parent, String agent) {
        /** The phase bar of a group: segments of its width, in the order of {@link RunPhases#ORDER}. */
        public List<Segment> segments() {
            if (counts == null || counts.isEmpty()) {
                return List.of();
            }
            int total = counts.values().stream().mapToInt(Integer::intValue).sum();
            List<Segment> out = new java.util.ArrayList<>();
            double at = 0;
            List<String> phases = new java.util.ArrayList<>(RunPhases.ORDER);
            counts.keySet().stream().filter(p -> !phases.contains(p)).forEach(phases::add);
            for (String phase : phases) {
                int n = counts.getOrDefault(phase, 0);
                if (n > 0) {
                    double w = (NODE_WIDTH - 16) * n / (double) total;
                    out.add(new Segment(phase, (int) Math.round(8 + at), Math.max(1, (int) Math.round(w))));
                    at += w;
                }
            }
            return out;
        }
    }

    public record Segment(String phase, int x, int width) {
    }

    /**
     * A dependency, or a delegate call from a step to the child step it made: the path's data, whether the step it
     * leads to was skipped (drawn dashed), and whether it is a delegation.
     */
    public record Edge(String id, String path, boolean skipped, boolean delegation) {
    }
}
