package dev.arkonis.ark.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * The JSON merge patch (RFC 7386) that turns one document into another: only the fields that changed, a removed one
 * as null, an object that changed as the patch of its fields, anything else (a list, a value) whole. A field that is
 * null counts as absent on both sides.
 */
public final class MergePatch {
    private MergePatch() {
    }

    /** The patch from {@code from} to {@code to}; an empty object when they are the same. */
    public static ObjectNode between(JsonNode from, JsonNode to) {
        ObjectNode patch = JsonNodeFactory.instance.objectNode();
        JsonNode before = from == null || !from.isObject() ? JsonNodeFactory.instance.objectNode() : from;
        for (Iterator<String> names = before.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!absent(before.get(name)) && (to == null || absent(to.get(name)))) {
                patch.putNull(name);
            }
        }
        if (to == null) {
            return patch;
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = to.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode was = before.get(field.getKey());
            JsonNode now = field.getValue();
            if (absent(now) || now.equals(was)) {
                continue;
            }
            patch.set(field.getKey(), now.isObject() && was != null && was.isObject() ? between(was, now) : withoutNulls(now));
        }
        return patch;
    }

    private static boolean absent(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode();
    }

    /** A value sent whole, without null fields (absent, as on both sides of the comparison), also in its lists. */
    private static JsonNode withoutNulls(JsonNode node) {
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            node.forEach(element -> copy.add(withoutNulls(element)));
            return copy;
        }
        if (!node.isObject()) {
            return node;
        }
        ObjectNode copy = JsonNodeFactory.instance.objectNode();
        node.fields().forEachRemaining(f -> {
            if (!absent(f.getValue())) {
                copy.set(f.getKey(), withoutNulls(f.getValue()));
            }
        });
        return copy;
    }
}
