package dev.arkonis.ark.operator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Everything the operator is configured with, read once from the environment (the Helm chart sets it).
 *
 * @param taskQueueUrl       Redis URL handed to every agent pod ({@code TASK_QUEUE_URL})
 * @param agentImage         image of agent pods ({@code AGENT_IMAGE})
 * @param operatorNamespace  namespace of the operator: its Lease and the API-key Secret live there
 * @param apiKeysSecret      Secret of API keys in the operator namespace, mirrored next to agents; empty = none
 * @param agentResources     requests/limits of agent pods whose role sets none; empty = none
 * @param watchNamespaces    namespaces to reconcile; empty = all
 * @param leaderElection     whether to hold the {@code ark-operator} Lease before reconciling
 * @param healthPort         port of {@code /healthz}, {@code /readyz}, {@code /metrics}
 * @param otelEndpoint       OTLP endpoint passed on to agent pods; empty = none
 */
public record OperatorConfig(
        String taskQueueUrl,
        String agentImage,
        String operatorNamespace,
        Optional<String> apiKeysSecret,
        Optional<ResourceRequirements> agentResources,
        Set<String> watchNamespaces,
        boolean leaderElection,
        int healthPort,
        Optional<String> otelEndpoint,
        Duration budgetWindow) {

    /** The rolling token budget window (SPEC 5); BUDGET_WINDOW_SECONDS shortens it only for tests. */
    public static final Duration DAY = Duration.ofHours(24);

    public static final String LEASE_NAME = "ark-operator";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public OperatorConfig {
        watchNamespaces = Set.copyOf(watchNamespaces);
    }

    public boolean watchesAllNamespaces() {
        return watchNamespaces.isEmpty();
    }

    /** Reads the settings; a missing or bad one throws {@link InvalidConfigException} naming it. */
    public static OperatorConfig fromEnv(Map<String, String> env) {
        return new OperatorConfig(
                required(env, "TASK_QUEUE_URL"),
                required(env, "AGENT_IMAGE"),
                required(env, "OPERATOR_NAMESPACE"),
                optional(env, "API_KEYS_SECRET"),
                optional(env, "AGENT_RESOURCES").map(OperatorConfig::resources),
                namespaces(env.get("WATCH_NAMESPACES")),
                bool(env, "LEADER_ELECTION", true),
                port(env, "HEALTH_PORT", 8080),
                optional(env, "OTEL_EXPORTER_OTLP_ENDPOINT"),
                optional(env, "BUDGET_WINDOW_SECONDS").map(OperatorConfig::seconds).orElse(DAY));
    }

    private static String required(Map<String, String> env, String name) {
        return optional(env, name).orElseThrow(() -> new InvalidConfigException(name + " is not set"));
    }

    private static Optional<String> optional(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    private static ResourceRequirements resources(String json) {
        ResourceRequirements resources;
        try {
            resources = JSON.readValue(json, ResourceRequirements.class);
        } catch (JsonProcessingException e) {
            // the message quotes our input (resource quantities), never a secret
            throw new InvalidConfigException("AGENT_RESOURCES is not valid JSON: " + e.getOriginalMessage());
        }
        if (resources == null || !resources.getAdditionalProperties().isEmpty()) {
            // the model keeps unknown keys aside instead of failing; a typo such as "limitz" would be silently lost
            throw new InvalidConfigException("AGENT_RESOURCES is not a ResourceRequirements (requests, limits): "
                    + (resources == null ? "null" : "unknown field(s) " + resources.getAdditionalProperties().keySet()));
        }
        return resources;
    }

    private static Duration seconds(String value) {
        try {
            long seconds = Long.parseLong(value);
            if (seconds >= 1) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            // reported below with the setting's name
        }
        throw new InvalidConfigException("BUDGET_WINDOW_SECONDS must be a whole number of seconds, not '" + value + "'");
    }

    private static Set<String> namespaces(String list) {
        if (list == null) {
            return Set.of();
        }
        return Arrays.stream(list.split(",")).map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    }

    private static boolean bool(Map<String, String> env, String name, boolean fallback) {
        Optional<String> value = optional(env, name);
        if (value.isEmpty()) {
            return fallback;
        }
        return switch (value.get().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InvalidConfigException(name + " must be true or false, not '" + value.get() + "'");
        };
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        Optional<String> value = optional(env, name);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value.get());
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below with the setting's name
        }
        throw new InvalidConfigException(name + " must be a port number (0-65535), not '" + value.get() + "'");
    }

    /** A setting of the operator is missing or malformed; the message names the setting. */
    public static final class InvalidConfigException extends RuntimeException {
        public InvalidConfigException(String message) {
            super(message);
        }
    }
}
