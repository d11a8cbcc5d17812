package dev.arkonis.ark.operator.run;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Sizes and cuts of a run's outputs, remembered per output (the engine keeps the same string until a step's output
 * changes), so recording a status after an event does not re-measure every output of every step.
 */
final class OutputMemo {
    private record Cut(int cap, String text) {
    }

    private final Map<String, Integer> sizes = new IdentityHashMap<>();
    private final Map<String, Cut> cuts = new IdentityHashMap<>();

    synchronized int bytes(String output) {
        return sizes.computeIfAbsent(output, Utf8::length);
    }

    /** The output as the status keeps it under {@code cap} bytes. */
    synchronized String cut(String output, int cap) {
        if (bytes(output) <= cap) {
            return output;
        }
        Cut cut = cuts.get(output);
        if (cut == null || cut.cap() != cap) {
            cut = new Cut(cap, Utf8.cut(output, cap));
            cuts.put(output, cut);
        }
        return cut.text();
    }

    /** Forgets outputs no longer in the run (a step retried), so the memo does not grow with retries. */
    synchronized void retainOnly(java.util.Collection<String> outputs) {
        java.util.Set<String> keep = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        keep.addAll(outputs);
        sizes.keySet().retainAll(keep);
        cuts.keySet().retainAll(keep);
    }
}
