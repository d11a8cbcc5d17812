package dev.arkonis.ark.llm.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Builds a JSON value that satisfies a JSON Schema: the mock provider's structured answers.
 * Values are drawn from a seeded {@link Random}, so the same schema and seed give the same JSON.
 */
final class SchemaSampler {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    // Recursive schemas ($ref to an ancestor) stop growing optional parts beyond this depth.
    private static final int MAX_DEPTH = 8;
    private static final String[] WORDS = {
        "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"};

    private final JsonNode root;
    private final Random random;

    SchemaSampler(JsonNode root, long seed) {
        this.root = root;
        this.random = new Random(seed);
    }

    JsonNode sample() {
        return sample(root, 0, "value");
    }

    private JsonNode sample(JsonNode schema, int depth, String name) {
        JsonNode s = flatten(schema, depth);
        if (s.isBoolean()) {
            return JSON.textNode("mock");
        }
        if (s.has("const")) {
            return s.get("const");
        }
        if (s.has("enum") && s.get("enum").isArray() && !s.get("enum").isEmpty()) {
            JsonNode values = s.get("enum");
            return values.get(random.nextInt(values.size()));
        }
        return switch (typeOf(s)) {
            case "object" -> object(s, depth, name);
            case "array" -> array(s, depth, name);
            case "string" -> string(s, name);
            case "integer" -> integer(s);
            case "number" -> number(s);
            case "boolean" -> JSON.booleanNode(random.nextBoolean());
            case "null" -> JSON.nullNode();
            default -> JSON.textNode(word() + " " + name);
        };
    }

    /** Resolves $ref, takes the first branch of anyOf/oneOf and merges allOf, until a plain schema remains. */
    private JsonNode flatten(JsonNode schema, int depth) {
        JsonNode s = schema;
        for (int guard = 0; guard < 32 && s.isObject(); guard++) {
            if (s.has("$ref")) {
                s = merge(resolve(s.get("$ref").asText()), without(s, "$ref"));
            } else if (s.has("anyOf") && s.get("anyOf").isArray() && !s.get("anyOf").isEmpty()) {
                s = merge(firstNonNull(s.get("anyOf"), depth), without(s, "anyOf"));
            } else if (s.has("oneOf") && s.get("oneOf").isArray() && !s.get("oneOf").isEmpty()) {
                s = merge(firstNonNull(s.get("oneOf"), depth), without(s, "oneOf"));
            } else if (s.has("allOf") && s.get("allOf").isArray()) {
                JsonNode merged = without(s, "allOf");
                for (JsonNode part : s.get("allOf")) {
                    merged = merge(flatten(part, depth), merged);
                }
                s = merged;
            } else {
                return s;
            }
        }
        return s;
    }

    // A nullable union ("anyOf": [{"type":"null"}, X]) should still give a useful value.
    private JsonNode firstNonNull(JsonNode branches, int depth) {
        for (JsonNode branch : branches) {
            if (!"null".equals(typeOf(flatten(branch, depth)))) {
                return branch;
            }
        }
        return branches.get(0);
    }

    private JsonNode resolve(String ref) {
        if (!ref.startsWith("#")) {
            throw new IllegalArgumentException("only local $ref is supported: " + ref);
        }
        JsonNode target = root.at(ref.substring(1));
        if (target.isMissingNode()) {
            throw new IllegalArgumentException("unresolvable $ref: " + ref);
        }
        return target;
    }

    /** Keywords of {@code extra} are added to {@code base}; properties and required are unioned. */
    private static JsonNode merge(JsonNode base, JsonNode extra) {
        if (!base.isObject()) {
            return extra.isObject() && !extra.isEmpty() ? extra : base;
        }
        ObjectNode out = ((ObjectNode) base).deepCopy();
        for (Map.Entry<String, JsonNode> e : extra.properties()) {
            String key = e.getKey();
            JsonNode mine = out.get(key);
            if ("properties".equals(key) && mine != null && mine.isObject()) {
                out.set(key, mergeProperties((ObjectNode) mine, e.getValue()));
            } else if ("required".equals(key) && mine != null && mine.isArray()) {
                Set<String> names = new LinkedHashSet<>();
                mine.forEach(n -> names.add(n.asText()));
                e.getValue().forEach(n -> names.add(n.asText()));
                ArrayNode union = JSON.arrayNode();
                names.forEach(union::add);
                out.set(key, union);
            } else if (isTighterBound(key) && mine != null && mine.isNumber() && e.getValue().isNumber()) {
                out.set(key, tighter(key, mine, e.getValue()));
            } else {
                out.set(key, e.getValue());
            }
        }
        return out;
    }

    // A property constrained by two schemas must satisfy both: keep both under allOf.
    private static ObjectNode mergeProperties(ObjectNode mine, JsonNode theirs) {
        ObjectNode out = mine.deepCopy();
        for (Map.Entry<String, JsonNode> p : theirs.properties()) {
            JsonNode existing = out.get(p.getKey());
            if (existing == null) {
                out.set(p.getKey(), p.getValue());
            } else {
                ObjectNode both = JSON.objectNode();
                both.putArray("allOf").add(existing).add(p.getValue());
                out.set(p.getKey(), both);
            }
        }
        return out;
    }

    private static boolean isTighterBound(String key) {
        return key.startsWith("min") || key.startsWith("max") || key.startsWith("exclusiveM");
    }

    private static JsonNode tighter(String key, JsonNode a, JsonNode b) {
        boolean lowerBound = key.startsWith("min") || key.equals("exclusiveMinimum");
        int cmp = a.decimalValue().compareTo(b.decimalValue());
        return lowerBound ? (cmp >= 0 ? a : b) : (cmp <= 0 ? a : b);
    }

    private static JsonNode without(JsonNode schema, String keyword) {
        ObjectNode copy = ((ObjectNode) schema).deepCopy();
        copy.remove(keyword);
        return copy;
    }

    private static String typeOf(JsonNode s) {
        JsonNode type = s.get("type");
        if (type != null && type.isTextual()) {
            return type.asText();
        }
        if (type != null && type.isArray() && !type.isEmpty()) {
            for (JsonNode t : type) {
                if (!"null".equals(t.asText())) {
                    return t.asText();
                }
            }
            return "null";
        }
        if (s.has("properties") || s.has("required") || s.has("additionalProperties")) {
            return "object";
        }
        if (s.has("items") || s.has("prefixItems") || s.has("minItems") || s.has("maxItems")) {
            return "array";
        }
        if (s.has("minLength") || s.has("maxLength") || s.has("format") || s.has("pattern")) {
            return "string";
        }
        if (s.has("minimum") || s.has("maximum") || s.has("multipleOf")
                || s.has("exclusiveMinimum") || s.has("exclusiveMaximum")) {
            return "number";
        }
        return "any";
    }

    private JsonNode object(JsonNode s, int depth, String name) {
        ObjectNode out = JSON.objectNode();
        JsonNode properties = s.path("properties");
        Set<String> required = new LinkedHashSet<>();
        s.path("required").forEach(n -> required.add(n.asText()));
        Iterator<Map.Entry<String, JsonNode>> it = properties.properties().iterator();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> p = it.next();
            // Optional properties are dropped once deep in a recursive schema, so generation ends.
            if (required.contains(p.getKey()) || depth < MAX_DEPTH) {
                out.set(p.getKey(), sample(p.getValue(), depth + 1, p.getKey()));
            }
        }
        JsonNode additional = s.get("additionalProperties");
        JsonNode extraSchema = additional != null && additional.isObject() ? additional : JSON.objectNode();
        for (String key : required) {
            if (!out.has(key)) {
                out.set(key, sample(extraSchema, depth + 1, key));
            }
        }
        boolean extrasAllowed = additional == null || !(additional.isBoolean() && !additional.asBoolean());
        int minProperties = s.path("minProperties").asInt(0);
        for (int i = 1; out.size() < minProperties && extrasAllowed; i++) {
            String key = name + "_" + i;
            if (!out.has(key)) {
                out.set(key, sample(extraSchema, depth + 1, key));
            }
        }
        return out;
    }

    private JsonNode array(JsonNode s, int depth, String name) {
        ArrayNode out = JSON.arrayNode();
        int min = s.path("minItems").asInt(0);
        int max = s.has("maxItems") ? s.get("maxItems").asInt() : Integer.MAX_VALUE;
        int count = Math.min(Math.max(min, depth < MAX_DEPTH ? 2 : 0), max);
        JsonNode prefix = s.path("prefixItems");
        JsonNode items = s.get("items");
        if (items != null && items.isBoolean() && !items.asBoolean()) {
            count = Math.min(count, prefix.size());
        }
        JsonNode itemSchema = items != null && (items.isObject() || items.isBoolean() && items.asBoolean())
                ? items : JSON.objectNode();
        boolean unique = s.path("uniqueItems").asBoolean(false);
        String itemName = singular(name);
        for (int i = 0; i < count; i++) {
            JsonNode schema = i < prefix.size() ? prefix.get(i) : itemSchema;
            JsonNode value = sample(schema, depth + 1, itemName);
            for (int attempt = 0; unique && contains(out, value) && attempt < 20; attempt++) {
                value = sample(schema, depth + 1, itemName);
            }
            out.add(value);
        }
        return out;
    }

    private static boolean contains(ArrayNode array, JsonNode value) {
        for (JsonNode n : array) {
            if (n.equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static String singular(String name) {
        return name.length() > 1 && name.endsWith("s") ? name.substring(0, name.length() - 1) : name;
    }

    private JsonNode string(JsonNode s, String name) {
        String format = s.path("format").asText("");
        String fixed = formatted(format);
        if (fixed != null) {
            return JSON.textNode(fixed);
        }
        int min = s.path("minLength").asInt(0);
        int max = s.has("maxLength") ? s.get("maxLength").asInt() : Integer.MAX_VALUE;
        StringBuilder text = new StringBuilder(word()).append(' ').append(name);
        while (text.codePointCount(0, text.length()) < min) {
            text.append(' ').append(word());
        }
        String value = text.toString();
        if (value.codePointCount(0, value.length()) > max) {
            value = value.substring(0, value.offsetByCodePoints(0, max));
        }
        return JSON.textNode(value);
    }

    private String formatted(String format) {
        int n = random.nextInt(1000);
        return switch (format) {
            case "date-time" -> "2024-01-%02dT12:%02d:00Z".formatted(1 + n % 28, n % 60);
            case "date" -> "2024-01-%02d".formatted(1 + n % 28);
            case "time" -> "12:%02d:00Z".formatted(n % 60);
            case "email", "idn-email" -> "mock" + n + "@example.com";
            case "uri", "iri", "uri-reference", "iri-reference" -> "https://example.com/mock/" + n;
            case "hostname", "idn-hostname" -> "mock" + n + ".example.com";
            case "ipv4" -> "192.0.2." + (n % 255);
            case "ipv6" -> "2001:db8::" + Integer.toHexString(n);
            case "uuid" -> new java.util.UUID(random.nextLong(), random.nextLong()).toString();
            case "duration" -> "PT" + (1 + n % 59) + "M";
            default -> null;
        };
    }

    private JsonNode integer(JsonNode s) {
        long low = Long.MIN_VALUE;
        long high = Long.MAX_VALUE;
        if (s.path("minimum").isNumber()) {
            low = Math.max(low, s.get("minimum").decimalValue().setScale(0, RoundingMode.CEILING).longValue());
        }
        if (s.path("exclusiveMinimum").isNumber()) {
            low = Math.max(low, s.get("exclusiveMinimum").decimalValue().setScale(0, RoundingMode.FLOOR).longValue() + 1);
        }
        if (s.path("maximum").isNumber()) {
            high = Math.min(high, s.get("maximum").decimalValue().setScale(0, RoundingMode.FLOOR).longValue());
        }
        if (s.path("exclusiveMaximum").isNumber()) {
            high = Math.min(high, s.get("exclusiveMaximum").decimalValue().setScale(0, RoundingMode.CEILING).longValue() - 1);
        }
        long value = pick(low, high);
        if (s.path("multipleOf").isIntegralNumber() && s.get("multipleOf").asLong() > 0) {
            long step = s.get("multipleOf").asLong();
            long up = Math.floorDiv(value + step - 1, step) * step;
            value = up <= high ? up : Math.floorDiv(value, step) * step;
        }
        return JSON.numberNode(value);
    }

    private long pick(long low, long high) {
        if (low == Long.MIN_VALUE && high == Long.MAX_VALUE) {
            return 1 + random.nextInt(100);
        }
        if (low == Long.MIN_VALUE) {
            return Math.min(high, 1 + random.nextInt(100));
        }
        long span = high == Long.MAX_VALUE ? 100 : Math.min(100, high - low);
        return low + (span <= 0 ? 0 : random.nextInt((int) span + 1));
    }

    private JsonNode number(JsonNode s) {
        if (s.path("multipleOf").isNumber()) {
            return multiple(s);
        }
        BigDecimal lo = max(decimal(s, "minimum"), decimal(s, "exclusiveMinimum"));
        BigDecimal hi = min(decimal(s, "maximum"), decimal(s, "exclusiveMaximum"));
        BigDecimal value;
        if (lo != null && hi != null) {
            // The midpoint is inside the range whether its ends are inclusive or exclusive.
            value = lo.add(hi).divide(BigDecimal.valueOf(2), 10, RoundingMode.HALF_UP);
        } else if (lo != null) {
            value = lo.add(BigDecimal.valueOf(1 + random.nextInt(100)));
        } else if (hi != null) {
            value = hi.subtract(BigDecimal.valueOf(1 + random.nextInt(100)));
        } else {
            value = BigDecimal.valueOf(random.nextInt(10000), 2);
        }
        return JSON.numberNode(value.stripTrailingZeros());
    }

    // The first multiple of multipleOf inside the lower bounds.
    private JsonNode multiple(JsonNode s) {
        BigDecimal step = s.get("multipleOf").decimalValue();
        BigDecimal min = decimal(s, "minimum");
        BigDecimal exclusiveMin = decimal(s, "exclusiveMinimum");
        BigDecimal start = max(min, exclusiveMin);
        BigDecimal value = start == null ? step : start.divide(step, 0, RoundingMode.CEILING).multiply(step);
        if (exclusiveMin != null && value.compareTo(exclusiveMin) <= 0) {
            value = value.add(step);
        }
        return JSON.numberNode(value.stripTrailingZeros());
    }

    private static BigDecimal decimal(JsonNode s, String keyword) {
        return s.path(keyword).isNumber() ? s.get(keyword).decimalValue() : null;
    }

    private static BigDecimal max(BigDecimal a, BigDecimal b) {
        return a == null ? b : b == null ? a : a.max(b);
    }

    private static BigDecimal min(BigDecimal a, BigDecimal b) {
        return a == null ? b : b == null ? a : a.min(b);
    }

    private String word() {
        return WORDS[random.nextInt(WORDS.length)];
    }
}
