package dev.arkonis.ark.llm.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arkonis.ark.api.AgentEnv;
import dev.arkonis.ark.api.McpAuth;
import dev.arkonis.ark.api.McpClientCredentials;
import dev.arkonis.ark.api.McpServerSpec;
import dev.arkonis.ark.llm.tools.Tool;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * ark's MCP client as the MCP project's conformance suite drives a client: the suite runs this with the scenario's
 * server URL as the last argument, the scenario in {@code MCP_CONFORMANCE_SCENARIO} and its client credentials, if it
 * has any, in {@code MCP_CONFORMANCE_CONTEXT}. It connects as an agent does (credentials reach it in the variables the
 * operator fills from a Secret), calls every tool once with arguments made from the tool's schema, and exits 0 when
 * the server answered.
 */
public final class ConformanceClient {
    /** Scenarios without a context expect dynamic registration, which ark does not do: it is a pre-registered client. */
    static final String FALLBACK_CLIENT_ID = "ark-conformance";
    static final String FALLBACK_CLIENT_SECRET = "ark-conformance-secret";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ConformanceClient() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[args.length - 1];
        Map<String, String> env = new HashMap<>();
        McpServerSpec spec = new McpServerSpec("conformance", url, null, null, auth(System.getenv(), env));
        List<McpConnection> connections = new McpConnector(Duration.ofSeconds(10), Duration.ofSeconds(10), McpConnectorTest.LOOPBACK_ALLOWED)
                .connectAll(List.of(spec), env);
        if (connections.isEmpty()) {
            System.exit(1);
        }
        try (McpConnection c = connections.get(0)) {
            for (Tool tool : c.tools()) {
                System.out.println(tool.name() + ": " + tool.call(arguments(tool.parametersSchema())));
            }
        }
        System.exit(0);
    }

    /** OAuth client credentials for the auth scenarios, the secret or key put where the agent reads it. */
    static McpAuth auth(Map<String, String> process, Map<String, String> env) throws Exception {
        String scenario = process.getOrDefault("MCP_CONFORMANCE_SCENARIO", "");
        if (!scenario.startsWith("auth/")) {
            return null;
        }
        JsonNode context = JSON.readTree(process.getOrDefault("MCP_CONFORMANCE_CONTEXT", "{}"));
        String clientId = context.path("client_id").asText(FALLBACK_CLIENT_ID);
        SecretKeySelector ref = new SecretKeySelector("credential", "conformance", false);
        if (context.hasNonNull("private_key_pem")) {
            env.put(AgentEnv.mcpPrivateKey(0), context.path("private_key_pem").asText());
            return new McpAuth(new McpClientCredentials(clientId, null, ref, null, null, null));
        }
        env.put(AgentEnv.mcpClientSecret(0), context.path("client_secret").asText(FALLBACK_CLIENT_SECRET));
        return new McpAuth(new McpClientCredentials(clientId, ref, null, null, null, null));
    }

    /** A value for every required property, by its type, as a model would fill them in. */
    static String arguments(String schemaJson) throws Exception {
        JsonNode schema = JSON.readTree(schemaJson);
        ObjectNode arguments = JSON.createObjectNode();
        int next = 1;
        for (Iterator<JsonNode> it = schema.path("required").elements(); it.hasNext(); ) {
            String name = it.next().asText();
            String type = schema.path("properties").path(name).path("type").asText("string");
            switch (type) {
                case "number", "integer" -> arguments.put(name, next++);
                case "boolean" -> arguments.put(name, true);
                case "object" -> arguments.putObject(name);
                case "array" -> arguments.putArray(name);
                default -> arguments.put(name, "ark");
            }
        }
        return JSON.writeValueAsString(arguments);
    }
}
