package dev.arkonis.ark.flow;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.deser.ValueInstantiator;
import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.AgentSpec;
import dev.arkonis.ark.api.ArkRegistrySpec;
import dev.arkonis.ark.api.ArkSettingsSpec;
import dev.arkonis.ark.api.ArkTeamSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads multi-document team YAML. Kinds other than ArkTeam are reported and skipped, never a crash; ConfigMaps and
 * Secrets are kept for prompts. Every unknown field, wrong type and duplicate key of a team is reported with its
 * field path, and reading goes on after each one, so a file's problems all show at once.
 */
public final class TeamFileLoader {
    // Specs are bound from JSON text, not the tree: its parser tracks field paths for the problems it reports.
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    public TeamFile load(String text) {
        List<TeamDocument> teams = new ArrayList<>();
        List<TeamFile.DataDocument> resources = new ArrayList<>();
        List<ClusterDocument> cluster = new ArrayList<>();
        List<SpecDocument<AgentSpec>> agents = new ArrayList<>();
        List<SpecDocument<ArkRegistrySpec>> registries = new ArrayList<>();
        List<SpecDocument<ArkSettingsSpec>> settings = new ArrayList<>();
        List<String> notices = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return new TeamFile(teams, resources, cluster, notices, List.of(new Problem("", "the file is empty")));
        }
        List<YamlDocuments.Document> documents;
        try {
            documents = YamlDocuments.read(text);
        } catch (JsonProcessingException e) {
            return new TeamFile(teams, resources, cluster, notices, List.of(new Problem("", YamlErrors.describe(e))));
        }
        int index = 0;
        int skipped = 0;
        for (YamlDocuments.Document document : documents) {
            index++;
            JsonNode doc = document.root();
            if (doc == null || doc.isNull() || doc.isMissingNode()) {
                continue;
            }
            if (!doc.isObject()) {
                problems.add(new Problem("", "document " + index + " is not a mapping"));
                continue;
            }
            String kind = doc.path("kind").asText("");
            String name = doc.path("metadata").path("name").asText("");
            if ("ArkTeam".equals(kind)) {
                teams.add(readTeam(document, index));
            } else if ("ConfigMap".equals(kind) || "Secret".equals(kind)) {
                resources.add(readData(doc, kind, name));
            } else if (SpecDocument.AGENT.equals(kind)) {
                agents.add(readSpec(document, index, AgentSpec.class));
            } else if (SpecDocument.REGISTRY.equals(kind)) {
                registries.add(readSpec(document, index, ArkRegistrySpec.class));
            } else if (SpecDocument.SETTINGS.equals(kind)) {
                settings.add(readSpec(document, index, ArkSettingsSpec.class));
            } else if (ClusterDocument.EVENT.equals(kind) || ClusterDocument.NOTIFY.equals(kind)) {
                cluster.add(new ClusterDocument(kind, name.isEmpty() ? "document-" + index : name, index, doc.get("spec")));
            } else {
                skipped++;
                notices.add("skipping document " + index + (kind.isEmpty() ? " (no kind)" : " (" + kind
                        + (name.isEmpty() ? "" : " " + name) + ")") + ": not a kind ark reads (ArkTeam, ArkAgent, "
                        + "ArkRegistry, ArkSettings, ArkEvent, ArkNotify, ConfigMap, Secret)");
            }
        }
        if (teams.isEmpty() && cluster.isEmpty() && agents.isEmpty() && registries.isEmpty() && settings.isEmpty()
                && problems.isEmpty()) {
            int others = skipped + resources.size();
            problems.add(new Problem("", "no ArkTeam in the file" + (others == 0 ? "" : " (" + others + " other document(s) skipped)")));
        }
        return new TeamFile(teams, resources, cluster, agents, registries, settings, notices, problems);
    }

    /** An ArkAgent, ArkRegistry or ArkSettings: its spec read as a team's is, every problem at its path. */
    private static <T> SpecDocument<T> readSpec(YamlDocuments.Document document, int index, Class<T> type) {
        JsonNode doc = document.root();
        String kind = doc.path("kind").asText("");
        String name = doc.path("metadata").path("name").asText("");
        String namespace = doc.path("metadata").path("namespace").asText("");
        List<Problem> problems = new ArrayList<>(document.duplicates());
        if (name.isEmpty()) {
            problems.add(new Problem("metadata.name", "required"));
            name = "document-" + index;
        }
        JsonNode specNode = doc.get("spec");
        T spec = null;
        if (specNode == null || !specNode.isObject()) {
            if (!SpecDocument.SETTINGS.equals(kind) || (specNode != null && !specNode.isNull())) {
                problems.add(new Problem("spec", specNode == null || specNode.isNull() ? "required"
                        : "expected a mapping, got " + JsonTypes.describe(specNode)));
            }
        } else {
            spec = bind(specNode, type, problems);
        }
        return new SpecDocument<>(kind, name, namespace, index, spec, withLines(problems, document));
    }

    private static TeamFile.DataDocument readData(JsonNode doc, String kind, String name) {
        Map<String, String> data = new LinkedHashMap<>();
        boolean secret = "Secret".equals(kind);
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.path("data").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String value = e.getValue().asText();
            if (secret) {
                try {
                    value = new String(Base64.getMimeDecoder().decode(value), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException notBase64) {
                    // kept as written: the API server would refuse it, the prompt reader reports nothing worse
                }
            }
            data.put(e.getKey(), value);
        }
        if (secret) {
            doc.path("stringData").fields().forEachRemaining(e -> data.put(e.getKey(), e.getValue().asText()));
        }
        return new TeamFile.DataDocument(kind, name, doc.path("metadata").path("namespace").asText(""), data);
    }

    private static TeamDocument readTeam(YamlDocuments.Document document, int index) {
        JsonNode doc = document.root();
        List<Problem> problems = new ArrayList<>(document.duplicates());
        String name = doc.path("metadata").path("name").asText("");
        String namespace = doc.path("metadata").path("namespace").asText("");
        if (name.isEmpty()) {
            problems.add(new Problem("metadata.name", "required"));
            name = "document-" + index;
        } else {
            KubernetesNames.teamNameProblem(name).ifPresent(p -> problems.add(new Problem("metadata.name", p)));
        }
        String apiVersion = doc.path("apiVersion").asText("");
        if (!apiVersion.isEmpty() && !Ark.API_VERSION.equals(apiVersion)) {
            problems.add(new Problem("apiVersion", "expected " + Ark.API_VERSION + ", found " + apiVersion));
        }
        JsonNode specNode = doc.get("spec");
        if (specNode == null || !specNode.isObject()) {
            problems.add(new Problem("spec", specNode == null || specNode.isNull() ? "required"
                    : "expected a mapping, got " + JsonTypes.describe(specNode)));
            return new TeamDocument(name, namespace, emptySpec(), problems);
        }
        ArkTeamSpec bound = bind(specNode, ArkTeamSpec.class, problems);
        ArkTeamSpec spec = bound == null ? emptySpec() : bound;
        if (!name.startsWith("document-")) {
            for (int i = 0; i < spec.roleList().size(); i++) {
                String role = spec.roleList().get(i).name();
                String at = "spec.roles[" + i + "].name";
                if (role != null) {
                    KubernetesNames.agentNameProblem(name, role).ifPresent(p -> problems.add(new Problem(at, p)));
                }
            }
        }
        return new TeamDocument(name, namespace, spec, withLines(problems, document));
    }

    /** Problems located in the file too, for people who read it in an editor. */
    private static List<Problem> withLines(List<Problem> problems, YamlDocuments.Document document) {
        List<Problem> located = new ArrayList<>(problems.size());
        for (Problem p : problems) {
            int line = document.lineOf(p.path());
            located.add(line < 0 || p.message().contains(" at line ") ? p : new Problem(p.path(), p.message() + " (line " + line + ")"));
        }
        return located;
    }

    /** Binds a spec, adding every unknown field and wrong type to {@code problems} at its path; null when it cannot. */
    static <T> T bind(JsonNode specNode, Class<T> type, List<Problem> problems) {
        ObjectMapper reader = JSON.copy().addHandler(new CollectingHandler(problems, specNode));
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
        return new ArkTeamSpec(null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** Records every unknown field and wrong type instead of stopping at the first one, and reads on. */
    private static final class CollectingHandler extends DeserializationProblemHandler {
        private final List<Problem> problems;
        private final JsonNode document;

        CollectingHandler(List<Problem> problems, JsonNode document) {
            this.problems = problems;
            this.document = document;
        }

        @Override
        public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p,
                                             JsonDeserializer<?> deserializer, Object beanOrClass, String propertyName)
                throws IOException {
            problems.add(new Problem(FieldPaths.of("spec", fieldContext(p, propertyName), document), "unknown field"));
            p.skipChildren();
            return true;
        }

        @Override
        public Object handleWeirdStringValue(DeserializationContext ctxt, Class<?> targetType, String value,
                String failureMsg) {
            problems.add(new Problem(path(ctxt.getParser()), JsonTypes.expected(targetType) + ", got \"" + value + "\""));
            return null;
        }

        @Override
        public Object handleWeirdNumberValue(DeserializationContext ctxt, Class<?> targetType, Number value,
                String failureMsg) {
            problems.add(new Problem(path(ctxt.getParser()), JsonTypes.expected(targetType) + ", got " + value));
            return null;
        }

        @Override
        public Object handleUnexpectedToken(DeserializationContext ctxt, JavaType targetType, JsonToken t, JsonParser p,
                String failureMsg) throws IOException {
            problems.add(new Problem(path(p), JsonTypes.expected(targetType.getRawClass()) + ", got "
                    + JsonTypes.describe(t, p)));
            p.skipChildren();
            return null;
        }

        @Override
        public Object handleMissingInstantiator(DeserializationContext ctxt, Class<?> instClass,
                ValueInstantiator valueInsta, JsonParser p, String msg) throws IOException {
            problems.add(new Problem(path(p), JsonTypes.expected(instClass) + ", got "
                    + JsonTypes.describe(p.currentToken(), p)));
            p.skipChildren();
            return null;
        }

        /** Path of the value the parser stands on; for an object or array value, the field that holds it. */
        private static String path(JsonParser p) {
            JsonStreamContext context = p.getParsingContext();
            if ((p.currentToken() == JsonToken.START_OBJECT || p.currentToken() == JsonToken.START_ARRAY)
                    && context.getParent() != null) {
                context = context.getParent();
            }
            return FieldPaths.of("spec", context);
        }

        // On an array or object value the parser may already stand inside it: climb to the field's own object.
        private static JsonStreamContext fieldContext(JsonParser p, String propertyName) {
            JsonStreamContext context = p.getParsingContext();
            while (context.getParent() != null && !(FieldPaths.isField(context) && propertyName.equals(context.getCurrentName()))) {
                context = context.getParent();
            }
            return context;
        }
    }
}
