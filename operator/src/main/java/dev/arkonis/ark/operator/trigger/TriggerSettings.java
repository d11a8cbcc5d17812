package dev.arkonis.ark.operator.trigger;

import dev.arkonis.ark.operator.OperatorConfig.InvalidConfigException;
import java.util.Map;
import java.util.Optional;

/**
 * How the operator serves ArkEvent webhooks, read from the environment (the chart sets it).
 *
 * @param port          port of {@code POST /triggers/<ns>/<name>/fire} ({@code TRIGGER_WEBHOOK_PORT}, default 8092; 0 = any free port)
 * @param baseUrl       what {@code status.webhookURL} starts with ({@code TRIGGER_WEBHOOK_URL}); empty = the chart's Service
 * @param maxBodyBytes  larger bodies are refused with 413 ({@code TRIGGER_WEBHOOK_MAX_BODY_BYTES}, default 1 MiB)
 * @param firesPerMinute fires one ArkEvent's webhook takes per minute before answering 429
 *                       ({@code TRIGGER_WEBHOOK_FIRES_PER_MINUTE}, default 60, as a burst that refills evenly)
 */
public record TriggerSettings(int port, Optional<String> baseUrl, int maxBodyBytes, int firesPerMinute) {
    public static final int DEFAULT_PORT = 8092;
    /** The chart's Service in front of the webhook port. */
    public static final String SERVICE_NAME = "ark-operator-triggers";

    public static TriggerSettings fromEnv(Map<String, String> env) {
        return new TriggerSettings(
                number(env, "TRIGGER_WEBHOOK_PORT", DEFAULT_PORT, 0, 65535),
                Optional.ofNullable(env.get("TRIGGER_WEBHOOK_URL")).map(String::strip).filter(s -> !s.isEmpty())
                        .map(s -> s.endsWith("/") ? s.substring(0, s.length() - 1) : s),
                number(env, "TRIGGER_WEBHOOK_MAX_BODY_BYTES", 1 << 20, 1, Integer.MAX_VALUE),
                number(env, "TRIGGER_WEBHOOK_FIRES_PER_MINUTE", 60, 1, 1_000_000));
    }

    /** The URL a webhook ArkEvent is fired at. */
    public String webhookUrl(String operatorNamespace, String namespace, String name, int listeningPort) {
        String base = baseUrl.orElse("http://" + SERVICE_NAME + "." + operatorNamespace + ".svc:" + listeningPort);
        return base + "/triggers/" + namespace + "/" + name + "/fire";
    }

    private static int number(Map<String, String> env, String name, int fallback, int min, int max) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below with the setting's name
        }
        throw new InvalidConfigException(name + " must be a whole number from " + min + " to " + max + ", not '" + value + "'");
    }
}
