package dev.arkonis.ark.flow;

import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.util.TokenBufferReadContext;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** Field paths in the kubectl style: {@code spec.pipeline[2].dependsOn[0]}. */
final class FieldPaths {
    private FieldPaths() {
    }

    static String of(String root, List<JsonMappingException.Reference> references) {
        StringBuilder path = new StringBuilder(root);
        for (JsonMappingException.Reference ref : references) {
            if (ref.getFieldName() != null) {
                path.append('.').append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /**
     * The path of a parser's context within {@code tree} (the document read). Jackson replays fields a record read
     * before knowing its creator from a buffer whose outermost context may hang under the live context of the same
     * object, which by then names a later field (a twin, to leave out), or under the live context of the field that
     * holds the buffered object (to keep): the two read alike, so the path that names a node of the document wins.
     */
    static String of(String root, JsonStreamContext context, JsonNode tree) {
        List<String> twinless = parts(context, true);
        List<String> whole = parts(context, false);
        List<String> chosen = !twinless.equals(whole) && resolves(tree, whole) && !resolves(tree, twinless) ? whole
                : twinless;
        return root + String.join("", chosen);
    }

    /** The path of a parser's context, buffered twins left out (see {@link #of(String, JsonStreamContext, JsonNode)}). */
    static String of(String root, JsonStreamContext context) {
        return root + String.join("", parts(context, true));
    }

    private static List<String> parts(JsonStreamContext context, boolean skipTwins) {
        Deque<String> parts = new ArrayDeque<>();
        boolean inBuffer = false;
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            boolean buffered = isBuffered(c);
            boolean twin = inBuffer && !buffered && c.inObject();
            inBuffer = buffered;
            if (twin && skipTwins) {
                continue;
            }
            if (isField(c)) {
                parts.push("." + c.getCurrentName());
            } else if (c.inArray()) {
                parts.push("[" + c.getCurrentIndex() + "]");
            }
        }
        return List.copyOf(parts);
    }

    /** Whether the path names a node of the document. */
    private static boolean resolves(JsonNode tree, List<String> parts) {
        JsonNode node = tree;
        for (String part : parts) {
            if (node == null) {
                return false;
            }
            node = part.startsWith(".") ? node.get(part.substring(1))
                    : node.get(Integer.parseInt(part.substring(1, part.length() - 1)));
        }
        return node != null;
    }

    /** Whether the context stands on a field of an object (a buffered context's type may say otherwise). */
    static boolean isField(JsonStreamContext c) {
        return c.getCurrentName() != null && (c.inObject() || isBuffered(c));
    }

    private static boolean isBuffered(JsonStreamContext c) {
        return c instanceof TokenBufferReadContext;
    }
}
