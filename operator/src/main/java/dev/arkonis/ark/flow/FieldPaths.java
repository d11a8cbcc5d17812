package dev.arkonis.ark.flow;

import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.JsonMappingException;
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
     * The path of a parser's context. Jackson replays the fields a record read before knowing its creator from a
     * buffer whose outermost context (named after the field, whatever its type says) hangs under the live parser's
     * context of the same object, which by then names a later field: that live context is the buffered one's twin
     * and is left out.
     */
    static String of(String root, JsonStreamContext context) {
        Deque<String> parts = new ArrayDeque<>();
        boolean inBuffer = false;
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            boolean buffered = isBuffered(c);
            boolean twin = inBuffer && !buffered && c.inObject();
            inBuffer = buffered;
            if (twin) {
                continue;
            }
            if (isField(c)) {
                parts.push("." + c.getCurrentName());
            } else if (c.inArray()) {
                parts.push("[" + c.getCurrentIndex() + "]");
            }
        }
        return root + String.join("", parts);
    }

    /** Whether the context stands on a field of an object (a buffered context's type may say otherwise). */
    static boolean isField(JsonStreamContext c) {
        return c.getCurrentName() != null && (c.inObject() || isBuffered(c));
    }

    private static boolean isBuffered(JsonStreamContext c) {
        return c instanceof TokenBufferReadContext;
    }
}
