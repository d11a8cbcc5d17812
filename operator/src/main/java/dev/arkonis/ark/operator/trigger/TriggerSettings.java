package dev.arkonis.ark.operator.trigger;

import dev.arkonis.ark.config.InvalidSettingException;
import dev.arkonis.ark.config.Settings;
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
        Settings settings = new Settings(env);
        try {
            return new TriggerSettings(
                    settings.port("TRIGGER_WEBHOOK_PORT", DEFAULT_PORT),
                    settings.baseUrl("TRIGGER_WEBHOOK_URL"),
                    settings.integer("TRIGGER_WEBHOOK_MAX_BODY_BYTES", 1 << 20, 1),
                    settings.integer("TRIGGER_WEBHOOK_FIRES_PER_MINUTE", 60, 1, 1_000_000));
        } catch (InvalidSettingException e) {
            throw new InvalidConfigException(e.getMessage());
        }
    }

    /** The URL a webhook ArkEvent is fired at. */
    public String webhookUrl(String operatorNamespace, String namespace, String name, int listeningPort) {
        String base = baseUrl.orElse("http://" + SERVICE_NAME + "." + operatorNamespace + ".svc:" + listeningPort);
        return base + "/triggers/" + namespace + "/" + name + "/fire";
    }
}
