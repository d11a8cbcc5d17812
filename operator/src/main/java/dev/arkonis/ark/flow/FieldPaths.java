package dev.arkonis.ark.flow;

import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.JsonMappingException;
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

    static String of(String root, JsonStreamContext context) {
        Deque<String> parts = new ArrayDeque<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                parts.push("[" + c.getCurrentIndex() + "]");
            } else if (c.getCurrentName() != null) {
                parts.push("." + c.getCurrentName());
            }
        }
        return root + String.join("", parts);
    }
}
