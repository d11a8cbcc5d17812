package dev.arkonis.ark.dashboard;

import dev.arkonis.ark.dashboard.view.RunPage;
import java.util.LinkedHashMap;
import java.util.Map;

/** The parts of a run page a live update can replace, by the id of their root element, rendered as on the page. */
final class Fragments {
    private Fragments() {
    }

    static Map<String, String> of(RunPage page) {
        Map<String, String> parts = new LinkedHashMap<>();
        String csrf = page.frame().csrf();
        parts.put("run-summary", Templates.render("run/summary.jte", Map.of("run", page.run(), "csrf", csrf, "self", page.self())));
        parts.put("graph-box", Templates.render("run/graph.jte", page.graph()));
        parts.put("timeline", Templates.render("run/timeline.jte", page.timeline()));
        for (RunPage.Step step : page.steps()) {
            parts.put("step-" + step.name(), Templates.render("run/step.jte", Map.of("step", step, "csrf", csrf, "self", page.self())));
        }
        parts.put("events", Templates.render("run/events.jte", Map.of("events", page.events(), "count", page.eventCount())));
        return parts;
    }
}
