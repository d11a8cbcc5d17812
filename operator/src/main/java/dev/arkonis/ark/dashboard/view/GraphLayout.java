package dev.arkonis.ark.dashboard.view;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Lays a pipeline out in columns by depth (a step sits one column right of the deepest step it depends on), rows
 * ordered to keep edges short. Up to {@link #MAX_NODES} steps are drawn one by one; more are collapsed into groups of
 * columns that link to the same page zoomed into them ({@code ?columns=a-b}), and a single column too tall shows its
 * most urgent steps (failed, running, pending) and one box for the rest, so a 2,000-step run stays readable.
 */
public final class GraphLayout {
    static final int MAX_NODES = 150;
    static final int MAX_COLUMNS = 40;
    static final int GAP_X = 56;
    static final int GAP_Y = 14;
    static final int PAD = 12;

    private GraphLayout() {
    }

    /**
     * @param steps  every step of the run, in pipeline order
     * @param zoom   the columns to show ({@code "a-b"}, 0-based), or null for all
     * @param zoomTo the link to this page zoomed into some columns, given {@code "a-b"}
     * @param rest   the link to the list of all steps (for a column too tall to draw)
     */
    public static Graph layout(List<GraphStep> steps, String zoom, java.util.function.Function<String, String> zoomTo,
            String rest) {
        Map<String, Integer> depth = depths(steps);
        int[] range = range(zoom, depth.values().stream().mapToInt(Integer::intValue).max().orElse(0));
        List<GraphStep> shown = steps.stream().filter(s -> depth.get(s.name()) >= range[0] && depth.get(s.name()) <= range[1])
                .toList();
        int columns = range[1] - range[0] + 1;
        String note = range[0] == 0 && range[1] >= depth.values().stream().mapToInt(Integer::intValue).max().orElse(0) ? ""
                : "columns " + (range[0] + 1) + "–" + (range[1] + 1) + " of the pipeline";
        if (shown.size() <= MAX_NODES) {
            return full(shown, depth, range[0], note, steps.size());
        }
        if (columns > 1) {
            return banded(shown, depth, range[0], columns, zoomTo, note, steps.size());
        }
        return tallColumn(shown, rest, note, steps.size());
    }

    /** Each step's column: 0 for steps that depend on nothing; unknown names and cycles are ignored. */
    static Map<String, Integer> depths(List<GraphStep> steps) {
        Map<String, GraphStep> byName = new LinkedHashMap<>();
        steps.forEach(s -> byName.put(s.name(), s));
        Map<String, Integer> depth = new HashMap<>();
        for (GraphStep step : steps) {
            depthOf(step.name(), byName, depth, new HashSet<>());
        }
        return depth;
    }

    private static int depthOf(String name, Map<String, GraphStep> byName, Map<String, Integer> depth, Set<String> path) {
        Integer known = depth.get(name);
        if (known != null) {
            return known;
        }
        // iterative over the chain would be safer for 2,000 deep pipelines: walk with an explicit stack
        java.util.Deque<String> stack = new java.util.ArrayDeque<>();
        stack.push(name);
        while (!stack.isEmpty()) {
            String current = stack.peek();
            if (depth.containsKey(current)) {
                stack.pop();
                continue;
            }
            path.add(current);
            int d = 0;
            boolean ready = true;
            for (String dep : byName.get(current).before()) {
                if (!byName.containsKey(dep) || (path.contains(dep) && !depth.containsKey(dep))) {
                    continue;
                }
                Integer dd = depth.get(dep);
                if (dd == null) {
                    ready = false;
                    stack.push(dep);
                } else {
                    d = Math.max(d, dd + 1);
                }
            }
            if (ready) {
                depth.put(current, d);
                path.remove(current);
                stack.pop();
            }
        }
        return depth.get(name);
    }

    private static int[] range(String zoom, int max) {
        if (zoom != null && zoom.matches("\\d{1,5}-\\d{1,5}")) {
            int a = Integer.parseInt(zoom.substring(0, zoom.indexOf('-')));
            int b = Integer.parseInt(zoom.substring(zoom.indexOf('-') + 1));
            if (a <= b && a <= max) {
                return new int[] {a, Math.min(b, max)};
            }
        }
        return new int[] {0, max};
    }

    private static Graph full(List<GraphStep> steps, Map<String, Integer> depth, int first, String note, int all) {
        Map<Integer, List<GraphStep>> byColumn = new TreeMap<>();
        steps.forEach(s -> byColumn.computeIfAbsent(depth.get(s.name()) - first, k -> new ArrayList<>()).add(s));
        Map<String, int[]> at = new HashMap<>();
        Map<String, Integer> order = new HashMap<>();
        for (int i = 0; i < steps.size(); i++) {
            order.put(steps.get(i).name(), i);
        }
        List<Graph.Node> nodes = new ArrayList<>();
        int rows = 0;
        for (Map.Entry<Integer, List<GraphStep>> column : byColumn.entrySet()) {
            List<GraphStep> cells = new ArrayList<>(column.getValue());
            // rows by the mean row of the steps it depends on, so edges stay short
            Map<String, Double> centre = new HashMap<>();
            for (GraphStep s : cells) {
                centre.put(s.name(), s.before().stream().filter(at::containsKey).mapToInt(d -> at.get(d)[1]).average()
                        .orElse(order.get(s.name())));
            }
            cells.sort(Comparator.comparing((GraphStep s) -> centre.get(s.name())).thenComparing(s -> order.get(s.name())));
            for (int row = 0; row < cells.size(); row++) {
                GraphStep s = cells.get(row);
                at.put(s.name(), new int[] {column.getKey(), row});
                nodes.add(stepNode(s, x(column.getKey()), y(row)));
            }
            rows = Math.max(rows, cells.size());
        }
        List<Graph.Edge> edges = new ArrayList<>();
        Map<String, GraphStep> byName = new HashMap<>();
        steps.forEach(s -> byName.put(s.name(), s));
        for (GraphStep s : steps) {
            for (String dep : s.dependsOn()) {
                if (at.containsKey(dep)) {
                    edges.add(edge("e-" + dep + "-" + s.name(), at.get(dep), at.get(s.name()), "Skipped".equals(s.phase()),
                            false));
                }
            }
            if (s.parent() != null && at.containsKey(s.parent())) {
                edges.add(edge("d-" + s.parent() + "-" + s.name(), at.get(s.parent()), at.get(s.name()), false, true));
            }
        }
        return new Graph(width(byColumn.size()), height(rows), nodes, edges, note, all);
    }

    private static Graph banded(List<GraphStep> steps, Map<String, Integer> depth, int first, int columns,
            java.util.function.Function<String, String> zoomTo, String note, int all) {
        int bands = Math.min(columns, MAX_COLUMNS);
        int per = (columns + bands - 1) / bands;
        Map<Integer, List<GraphStep>> byBand = new TreeMap<>();
        steps.forEach(s -> byBand.computeIfAbsent((depth.get(s.name()) - first) / per, k -> new ArrayList<>()).add(s));
        Map<String, Integer> bandOf = new HashMap<>();
        List<Graph.Node> nodes = new ArrayList<>();
        Map<Integer, int[]> at = new HashMap<>();
        int column = 0;
        for (Map.Entry<Integer, List<GraphStep>> band : byBand.entrySet()) {
            List<GraphStep> members = band.getValue();
            members.forEach(s -> bandOf.put(s.name(), band.getKey()));
            at.put(band.getKey(), new int[] {column, 0});
            if (members.size() == 1) {
                nodes.add(stepNode(members.get(0), x(column), y(0)));
            } else {
                int a = first + band.getKey() * per;
                int b = Math.min(first + columns - 1, a + per - 1);
                String cols = a == b ? "column " + (a + 1) : "columns " + (a + 1) + "–" + (b + 1);
                Map<String, Integer> counts = counts(members);
                nodes.add(new Graph.Node("g-" + a + "-" + b, Format.number(members.size()) + " steps", members.size()
                        + " steps in " + cols + ": " + countsText(counts) + " (open to see them)", urgent(counts),
                        countsText(counts), cols, true, counts, x(column), y(0), zoomTo.apply(a + "-" + b), "", ""));
            }
            column++;
        }
        Set<String> seen = new HashSet<>();
        List<Graph.Edge> edges = new ArrayList<>();
        for (GraphStep s : steps) {
            for (String dep : s.before()) {
                Integer from = bandOf.get(dep);
                Integer to = bandOf.get(s.name());
                if (from != null && !from.equals(to) && seen.add(from + "-" + to)) {
                    edges.add(edge("e-b" + from + "-b" + to, at.get(from), at.get(to), false, false));
                }
            }
        }
        String said = (note.isEmpty() ? "" : note + ": ") + Format.number(steps.size())
                + " steps in groups of columns; open a group to see its steps";
        return new Graph(width(column), height(1), nodes, edges, said, all);
    }

    private static Graph tallColumn(List<GraphStep> steps, String rest, String note, int all) {
        List<GraphStep> byUrgency = new ArrayList<>(steps);
        Map<String, Integer> order = new HashMap<>();
        for (int i = 0; i < steps.size(); i++) {
            order.put(steps.get(i).name(), i);
        }
        byUrgency.sort(Comparator.comparing((GraphStep s) -> RunPhases.urgency(s.phase()))
                .thenComparing(s -> order.get(s.name())));
        List<GraphStep> drawn = byUrgency.subList(0, MAX_NODES - 1).stream()
                .sorted(Comparator.comparing(s -> order.get(s.name()))).toList();
        List<GraphStep> others = byUrgency.subList(MAX_NODES - 1, byUrgency.size());
        List<Graph.Node> nodes = new ArrayList<>();
        for (int row = 0; row < drawn.size(); row++) {
            nodes.add(stepNode(drawn.get(row), x(0), y(row)));
        }
        Map<String, Integer> counts = counts(others);
        nodes.add(new Graph.Node("g-more", Format.number(others.size()) + " more steps", others.size()
                + " more steps in this column: " + countsText(counts), urgent(counts), countsText(counts), "",
                true, counts, x(0), y(drawn.size()), rest, "", ""));
        String said = (note.isEmpty() ? "" : note + ": ") + "the " + (MAX_NODES - 1) + " most urgent of "
                + Format.number(steps.size()) + " steps in this column; the list below has all of them";
        return new Graph(width(1), height(drawn.size() + 1), nodes, List.of(), said, all);
    }

    private static Graph.Node stepNode(GraphStep s, int x, int y) {
        String badge = s.loop() ? "↻ " + s.iterations() : "";
        // who runs it: the agent routing or a lookup chose (its capability, none for a fallback), else the role
        String who = s.agent() == null ? "role " + s.role()
                : "agent " + s.agent() + (s.capability() == null ? ", the fallback" : " by capability " + s.capability());
        String from = s.parent() == null ? "" : ", delegated by " + s.parent();
        String note = s.agent() == null ? s.note() : "→ " + s.agent() + (s.note().isEmpty() ? "" : " · " + s.note());
        return new Graph.Node("n-" + s.name(), Format.cut(s.name(), 24), s.name() + " (" + who + from + "): "
                + s.phase() + (s.note().isEmpty() ? "" : ", " + s.note()), s.phase(), Format.cut(note, 30), badge,
                false, Map.of(), x, y, s.href(), s.parent() == null ? "" : s.parent(), s.agent() == null ? "" : s.agent());
    }

    private static Graph.Edge edge(String id, int[] from, int[] to, boolean skipped, boolean delegation) {
        int x1 = x(from[0]) + Graph.NODE_WIDTH;
        int y1 = y(from[1]) + Graph.NODE_HEIGHT / 2;
        int x2 = x(to[0]);
        int y2 = y(to[1]) + Graph.NODE_HEIGHT / 2;
        int mid = (x1 + x2) / 2;
        return new Graph.Edge(id, "M" + x1 + " " + y1 + " C" + mid + " " + y1 + " " + mid + " " + y2 + " " + (x2 - 4) + " "
                + y2, skipped, delegation);
    }

    static Map<String, Integer> counts(List<GraphStep> steps) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        steps.forEach(s -> counts.merge(s.phase(), 1, Integer::sum));
        return counts;
    }

    static String countsText(Map<String, Integer> counts) {
        List<String> parts = new ArrayList<>();
        RunPhases.ORDER.forEach(p -> {
            if (counts.getOrDefault(p, 0) > 0) {
                parts.add(Format.number(counts.get(p)) + " " + p.toLowerCase(java.util.Locale.ROOT));
            }
        });
        counts.forEach((p, n) -> {
            if (!RunPhases.ORDER.contains(p)) {
                parts.add(Format.number(n) + " " + p.toLowerCase(java.util.Locale.ROOT));
            }
        });
        return String.join(" · ", parts);
    }

    /** The phase a group is coloured by: its most urgent one. */
    private static String urgent(Map<String, Integer> counts) {
        return counts.keySet().stream().min(Comparator.comparing(RunPhases::urgency)).orElse("Pending");
    }

    private static int x(int column) {
        return PAD + column * (Graph.NODE_WIDTH + GAP_X);
    }

    private static int y(int row) {
        return PAD + row * (Graph.NODE_HEIGHT + GAP_Y);
    }

    private static int width(int columns) {
        return 2 * PAD + Math.max(1, columns) * Graph.NODE_WIDTH + Math.max(0, columns - 1) * GAP_X;
    }

    private static int height(int rows) {
        return 2 * PAD + Math.max(1, rows) * Graph.NODE_HEIGHT + Math.max(0, rows - 1) * GAP_Y;
    }
}
