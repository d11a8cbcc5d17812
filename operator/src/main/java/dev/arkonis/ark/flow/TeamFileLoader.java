package dev.arkonis.ark.flow;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkTeamSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Reads multi-document team YAML. Kinds other than ArkTeam are reported and skipped, never a crash. */
public final class TeamFileLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    // Specs are bound from JSON text, not the tree: its parser tracks field paths for unknown-field problems.
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    public TeamFile load(String text) {
        List<TeamDocument> teams = new ArrayList<>();
        List<ClusterDocument> cluster = new ArrayList<>();
        List<String> notices = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return new TeamFile(teams, notices, List.of(new Problem("", "the file is empty")));
        }
        List<JsonNode> documents;
        try {
            documents = readDocuments(text);
        } catch (JsonProcessingException e) {
            return new TeamFile(teams, notices, List.of(new Problem("", YamlErrors.describe(e))));
        }
        int index = 0;
        for (JsonNode doc : documents) {
            index++;
            if (doc == null || doc.isNull() || doc.isMissingNode()) {
                continue;
            }
            if (!doc.isObject()) {
                problems.add(new Problem("", "document " + index + " is not a mapping"));
                continue;
            }
            String kind = doc.path("kind").asText("");
            String name = doc.path("metadata").path("name").asText("");
            if (ClusterDocument.EVENT.equals(kind) || ClusterDocument.NOTIFY.equals(kind)) {
                cluster.add(new ClusterDocument(kind, name.isEmpty() ? "document-" + index : name, index, doc.get("spec")));
                continue;
            }
            if (!"ArkTeam".equals(kind)) {
                notices.add("skipping document " + index + (kind.isEmpty() ? " (no kind)" : " (" + kind
                        + (name.isEmpty() ? "" : " " + name) + ")") + ": only ArkTeam documents are run");
                continue;
            }
            teams.add(readTeam(doc, index));
        }
        if (teams.isEmpty() && cluster.isEmpty() && problems.isEmpty()) {
            problems.add(new Problem("", "no ArkTeam in the file"
                    + (notices.isEmpty() ? "" : " (" + notices.size() + " other document(s) skipped)")));
        }
        return new TeamFile(teams, cluster, notices, problems);
    }

    private static List<JsonNode> readDocuments(String text) throws JsonProcessingException {
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(text)) {
            List<JsonNode> docs = new ArrayList<>();
            while (it.hasNextValue()) {
                docs.add(it.nextValue());
            }
            return docs;
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new IllegalStateException("reading from a string cannot fail with I/O", e);
        } catch (RuntimeException e) {
            // MappingIterator wraps parse errors in RuntimeJsonMappingException
            if (e.getCause() instanceof JsonProcessingException jpe) {
                throw jpe;
            }
            throw e;
        }
    }

    private static TeamDocument readTeam(JsonNode doc, int index) {
        List<Problem> problems = new ArrayList<>();
        String name = doc.path("metadata").path("name").asText("");
        String namespace = doc.path("metadata").path("namespace").asText("");
        if (name.isEmpty()) {
            problems.add(new Problem("metadata.name", "required"));
            name = "document-" + index;
        }
        String apiVersion = doc.path("apiVersion").asText("");
        if (!apiVersion.isEmpty() && !Ark.API_VERSION.equals(apiVersion)) {
            problems.add(new Problem("apiVersion", "expected " + Ark.API_VERSION + ", found " + apiVersion));
        }
        JsonNode specNode = doc.get("spec");
        if (specNode == null || !specNode.isObject()) {
            problems.add(new Problem("spec", "required"));
            return new TeamDocument(name, namespace, emptySpec(), problems);
        }
        ArkTeamSpec spec = bind(specNode, ArkTeamSpec.class, problems);
        return new TeamDocument(name, namespace, spec == null ? emptySpec() : spec, problems);
    }

    /** Binds a spec, adding every unknown field and wrong type to {@code problems} at its path; null when it cannot. */
    static <T> T bind(JsonNode specNode, Class<T> type, List<Problem> problems) {
        ObjectMapper reader = JSON.copy().addHandler(new CollectingHandler(problems));
        try {
            return reader.readValue(JSON.writeValueAsBytes(specNode), type);
        } catch (JsonMappingException e) {
            problems.add(new Problem(FieldPaths.of("spec", e.getPath()), describe(e)));
        } catch (IOException e) {
            problems.add(new Problem("spec", e.getMessage()));
        }
        return null;
    }

    private static String describe(JsonMappingException e) {
        String message = e.getOriginalMessage();
        int cut = message.indexOf(" at [Source");
        return cut > 0 ? message.substring(0, cut) : message;
    }

    private static ArkTeamSpec emptySpec() {
        return new ArkTeamSpec(null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** Records every unknown field instead of stopping at the first one. */
    private static final class CollectingHandler extends DeserializationProblemHandler {
        private final List<Problem> problems;

        CollectingHandler(List<Problem> problems) {
            this.problems = problems;
        }

        @Override
        public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p,
                                             JsonDeserializer<?> deserializer, Object beanOrClass, String propertyName)
                throws IOException {
            // On an array or object value the parser may already stand inside it: climb to the field's own object.
            JsonStreamContext context = p.getParsingContext();
            while (context.getParent() != null && !(context.inObject() && propertyName.equals(context.getCurrentName()))) {
                context = context.getParent();
            }
            problems.add(new Problem(FieldPaths.of("spec", context), "unknown field"));
            p.skipChildren();
            return true;
        }
    }
}
