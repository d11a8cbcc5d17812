package dev.arkonis.ark.llm.mock;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arkonis.ark.api.Capability;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How the mock answers a router call, deterministically: the capability a {@code [mock:route ID]} marker names, else
 * the one sharing most words (of four letters or more) with the task, else no choice at all (a refusal, which sends the
 * run to its fallback).
 */
final class MockRouter {
    static final String MARKER = "[mock:route ";
    private static final ObjectMapper JSON = new ObjectMapper();

    private MockRouter() {
    }

    static String answer(String prompt, List<Capability> capabilities) {
        int at = prompt.indexOf(MARKER);
        if (at >= 0) {
            int end = prompt.indexOf(']', at);
            if (end > at) {
                String id = prompt.substring(at + MARKER.length(), end).strip();
                return choice(id, "mock: the task asked for " + id);
            }
        }
        String task = taskOf(prompt);
        Set<String> words = words(task);
        Capability best = null;
        int bestScore = 0;
        for (Capability c : capabilities) {
            Set<String> its = words(c.id().replace('-', ' ').replace('.', ' ') + " " + (c.description() == null ? "" : c.description())
                    + " " + String.join(" ", c.tagList()));
            its.retainAll(words);
            if (its.size() > bestScore) {
                best = c;
                bestScore = its.size();
            }
        }
        return best == null ? "mock router: no capability fits this task"
                : choice(best.id(), "mock: " + bestScore + " word(s) of the task match " + best.id());
    }

    private static String choice(String id, String reason) {
        return JSON.createObjectNode().put("capability", id).put("reason", reason).toString();
    }

    /** The task part of a router prompt (before the list of capabilities). */
    private static String taskOf(String prompt) {
        int list = prompt.indexOf("\n\nCapabilities:\n");
        return list < 0 ? prompt : prompt.substring(0, list);
    }

    private static Set<String> words(String text) {
        Set<String> words = new HashSet<>();
        for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (w.length() >= 4) {
                words.add(w);
            }
        }
        return words;
    }
}
