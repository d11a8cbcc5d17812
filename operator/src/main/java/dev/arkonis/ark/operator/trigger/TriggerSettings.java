package dev.arkonis.ark.operator.trigger;

import dev.arkonis.ark.config.InvalidSettingException;
import dev.arkonis.ark.config.Setting;
import dev.arkonis.ark.config.Settings;
import dev.arkonis.ark.operator.OperatorConfig.InvalidConfigException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How the operator serves ArkEvent webhooks, read from the environment (the chart sets it).
 *
 * @param enabled       whether the operator listens for webhooks at all ({@code TRIGGER_WEBHOOK_ENABLED}, default
 *                      false; the chart's {@code triggerWebhook.enabled})
 * @param port          port of {@code POST /triggers/<ns>/<name>/fire} ({@code TRIGGER_WEBHOOK_PORT}, default 8092; 0 = any free port)
 * @param baseUrl       what {@code status.webhookURL} starts with ({@code TRIGGER_WEBHOOK_URL}); empty = the chart's Service
 * @param maxBodyBytes  larger bodies are refused with 413 ({@code TRIGGER_WEBHOOK_MAX_BODY_BYTES}, default 1 MiB)
 * @param firesPerMinute fires one ArkEvent's webhook takes per minute before answering 429
 *                       ({@code TRIGGER_WEBHOOK_FIRES_PER_MINUTE}, default 60, as a burst that refills evenly)
 * @param tls           serve HTTPS with this certificate and key ({@code TRIGGER_WEBHOOK_TLS_CERT_FILE},
 *                      {@code TRIGGER_WEBHOOK_TLS_KEY_FILE}, PEM); empty = plain HTTP
 */
public record TriggerSettings(boolean enabled, int port, Optional<String> baseUrl, int maxBodyBytes, int firesPerMinute,
                             Optional<TlsPaths> tls) {
    public static final int DEFAULT_PORT = 8092;
    /** The chart's Service in front of the webhook port. */
    public static final String SERVICE_NAME = "ark-operator-triggers";

    /** Where the webhook's certificate chain and private key are (a mounted {@code kubernetes.io/tls} Secret). */
    public record TlsPaths(Path certificate, Path key) {
    }

    /** Webhooks served over plain HTTP (tests). */
    public TriggerSettings(int port, Optional<String> baseUrl, int maxBodyBytes, int firesPerMinute) {
        this(true, port, baseUrl, maxBodyBytes, firesPerMinute, Optional.empty());
    }

    public static final Setting<Boolean> ENABLED = Setting.bool("TRIGGER_WEBHOOK_ENABLED", false)
            .chart("triggerWebhook.enabled")
            .means("`true`: serve ArkEvent webhooks (`false`: nothing listens; the chart then also adds the Service `"
                    + SERVICE_NAME + "`)");
    public static final Setting<Integer> PORT = Setting.port("TRIGGER_WEBHOOK_PORT", DEFAULT_PORT)
            .chart("triggerWebhook.port").means("port of the ArkEvent webhooks");
    public static final Setting<Optional<String>> URL = Setting.baseUrl("TRIGGER_WEBHOOK_URL")
            .chart("triggerWebhook.url").shownDefault("`http://" + SERVICE_NAME + ".<operator namespace>.svc:8092`")
            .means("what `status.webhookURL` starts with");
    public static final Setting<Optional<String>> TLS_CERT_FILE = Setting.optional("TRIGGER_WEBHOOK_TLS_CERT_FILE")
            .value("path").chart("triggerWebhook.tls.secretName")
            .means("PEM certificate chain: the webhooks serve HTTPS (with the key below; the chart mounts both from"
                    + " its Secret); read again when the files change");
    public static final Setting<Optional<String>> TLS_KEY_FILE = Setting.optional("TRIGGER_WEBHOOK_TLS_KEY_FILE")
            .value("path").chart("triggerWebhook.tls.secretName").means("its PKCS#8 private key, as PEM");
    public static final Setting<Integer> MAX_BODY_BYTES = Setting.integer("TRIGGER_WEBHOOK_MAX_BODY_BYTES", 1 << 20, 1)
            .means("a larger webhook body is refused with 413");
    public static final Setting<Integer> FIRES_PER_MINUTE = Setting.integer("TRIGGER_WEBHOOK_FIRES_PER_MINUTE", 60, 1,
            1_000_000).means("fires one ArkEvent's webhook takes per minute, as a burst that refills evenly; more get 429");
    public static final List<Setting<?>> SETTINGS = List.of(ENABLED, PORT, URL, TLS_CERT_FILE, TLS_KEY_FILE,
            MAX_BODY_BYTES, FIRES_PER_MINUTE);

    public static TriggerSettings fromEnv(Map<String, String> env) {
        Settings settings = new Settings(env);
        try {
            Optional<String> cert = settings.get(TLS_CERT_FILE);
            Optional<String> key = settings.get(TLS_KEY_FILE);
            if (cert.isPresent() != key.isPresent()) {
                throw new InvalidSettingException(TLS_CERT_FILE.name() + " and " + TLS_KEY_FILE.name()
                        + " must be set together, not one of them");
            }
            return new TriggerSettings(
                    settings.get(ENABLED),
                    settings.get(PORT),
                    settings.get(URL),
                    settings.get(MAX_BODY_BYTES),
                    settings.get(FIRES_PER_MINUTE),
                    cert.map(c -> new TlsPaths(Path.of(c), Path.of(key.get()))));
        } catch (InvalidSettingException e) {
            throw new InvalidConfigException(e.getMessage());
        }
    }

    /** The same, with TLS from these files. */
    public TriggerSettings withTls(TlsPaths paths) {
        return new TriggerSettings(enabled, port, baseUrl, maxBodyBytes, firesPerMinute, Optional.of(paths));
    }

    /** The URL a webhook ArkEvent is fired at. */
    public String webhookUrl(String operatorNamespace, String namespace, String name, int listeningPort) {
        return base(operatorNamespace, listeningPort) + "/triggers/" + namespace + "/" + name + "/fire";
    }

    /** Where people and callers reach the webhook port: {@code TRIGGER_WEBHOOK_URL}, else the chart's Service. */
    public String publicBase(String operatorNamespace) {
        return base(operatorNamespace, port);
    }

    private String base(String operatorNamespace, int listeningPort) {
        return baseUrl.orElse((tls.isPresent() ? "https" : "http") + "://" + SERVICE_NAME + "."
                + operatorNamespace + ".svc:" + listeningPort);
    }
}
