package dev.arkonis.ark.flow;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the documents of a YAML stream into trees, remembering the line of every field and reporting every
 * duplicate key (a YAML library keeps the last one silently; the API server rejects the file).
 */
final class YamlDocuments {
    private static final YAMLFactory YAML = new YAMLFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** One document: its tree, the line of each field path ({@code spec.roles[0].name}), and its duplicate keys. */
    record Document(JsonNode root, Map<String, Integer> lines, List<Problem> duplicates) {
        /** The line of a path, or of its nearest parent that has one. */
        int lineOf(String path) {
            for (String p = path; !p.isEmpty(); p = parent(p)) {
                Integer line = lines.get(p);
                if (line != null) {
                    return line;
                }
            }
            return -1;
        }

        private static String parent(String path) {
            int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
            return cut <= 0 ? "" : path.substring(0, cut);
        }
    }

    private YamlDocuments() {
    }

    static List<Document> read(String text) throws JsonProcessingException {
        List<Document> documents = new ArrayList<>();
        try (JsonParser parser = YAML.createParser(text)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                Map<String, Integer> lines = new HashMap<>();
                List<Problem> duplicates = new ArrayList<>();
                JsonNode root = value(parser, token, "", lines, duplicates);
                documents.add(new Document(root, lines, duplicates));
            }
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new IllegalStateException("reading from a string cannot fail with I/O", e);
        }
        return documents;
    }

    private static JsonNode value(JsonParser p, JsonToken token, String path, Map<String, Integer> lines,
            List<Problem> duplicates) throws IOException {
        switch (token) {
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                Map<String, Integer> firstLine = new HashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    int line = p.currentLocation().getLineNr();
                    String child = path.isEmpty() ? name : path + "." + name;
                    Integer first = firstLine.putIfAbsent(name, line);
                    if (first != null) {
                        duplicates.add(new Problem(child, "duplicate key \"" + name + "\" at line " + line
                                + " (first at line " + first + "); each key may appear once"));
                    }
                    lines.putIfAbsent(child, line);
                    object.set(name, value(p, p.nextToken(), child, lines, duplicates));
                }
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                int index = 0;
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    String child = path + "[" + index++ + "]";
                    lines.putIfAbsent(child, p.currentLocation().getLineNr());
                    array.add(value(p, t, child, lines, duplicates));
                }
                return array;
            }
            case VALUE_STRING -> {
                return NODES.textNode(p.getText());
            }
            case VALUE_NUMBER_INT -> {
                return switch (p.getNumberType()) {
                    case INT -> NODES.numberNode(p.getIntValue());
                    case LONG -> NODES.numberNode(p.getLongValue());
                    default -> NODES.numberNode(p.getBigIntegerValue());
                };
            }
            case VALUE_NUMBER_FLOAT -> {
                return NODES.numberNode(p.getDoubleValue());
            }
            case VALUE_TRUE -> {
                return NODES.booleanNode(true);
            }
            case VALUE_FALSE -> {
                return NODES.booleanNode(false);
            }
            case VALUE_EMBEDDED_OBJECT -> {
                Object embedded = p.getEmbeddedObject();
                return embedded instanceof byte[] bytes ? NODES.binaryNode(bytes) : NODES.textNode(String.valueOf(embedded));
            }
            default -> {
                return NODES.nullNode();
            }
        }
    }
}
