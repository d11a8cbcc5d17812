package dev.arkonis.ark.cli;

import dev.arkonis.ark.config.ProcessSettings;
import dev.arkonis.ark.config.Setting;
import dev.arkonis.ark.egress.EgressPolicy;
import dev.arkonis.ark.llm.ProviderVariables;
import dev.arkonis.ark.queue.RedisEndpoint;
import dev.arkonis.ark.telemetry.TelemetryVariables;
import java.util.List;
import java.util.Optional;

/**
 * Every variable the CLI reads ({@code ark run}, the cluster commands, {@code ark dashboard} on a laptop and in the
 * cluster), in the order the README lists them. The terminal's and kubectl's own are read where they are used, as
 * those tools read them.
 */
public final class CliVariables {
    public static final Setting<Optional<String>> KUBECONFIG = Setting.external("KUBECONFIG", "paths")
            .means("the kubeconfig of the cluster commands and the dashboard, as kubectl reads it (else"
                    + " `~/.kube/config`, else the pod's ServiceAccount)");
    public static final Setting<Optional<String>> TERM = Setting.external("TERM", "terminal type")
            .means("unset or `dumb`: `--watch` prints one plain line per change instead of redrawing");
    public static final Setting<Optional<String>> COLUMNS = Setting.external("COLUMNS", "number")
            .means("the terminal's width, where it does not say");
    public static final Setting<Optional<String>> LINES = Setting.external("LINES", "number")
            .means("the terminal's height, where it does not say");
    public static final Setting<Optional<String>> DEBUG = Setting.external("ARK_DEBUG", "any")
            .means("set: an unexpected failure prints its stack trace too");
    public static final Setting<Optional<String>> USER = Setting.external("USER", "name")
            .means("who decides an approval step of `ark run` by `--approve`, `--reject` or `--approve-all`, as the"
                    + " run records it (else the JVM's `user.name`)");
    public static final Setting<Optional<String>> CACHE_HOME = Setting.external("XDG_CACHE_HOME", "path")
            .means("`ark run` keeps memoized steps in `$XDG_CACHE_HOME/ark/steps`");
    public static final Setting<Optional<String>> HOME = Setting.external("HOME", "path")
            .means("else in `$HOME/.cache/ark/steps`");

    public static final ProcessSettings SETTINGS = ProcessSettings.of("cli",
            List.of(RedisEndpoint.URL_IF_SET.chart("dashboard.readQueue")
                            .means(RedisEndpoint.URL_IF_SET.meaning() + ": where `ark status` and `ark dashboard` read"
                                    + " outputs cut from a run's status whole, and queue depths; unset: they do"
                                    + " without"),
                    RedisEndpoint.USERNAME.chart("dashboard.queueSecret")
                            .means("a Redis user that may read them (in the cluster, the dashboard's own"
                                    + " `ark-dashboard`), from a Secret by `secretKeyRef`"),
                    RedisEndpoint.PASSWORD.chart("dashboard.queueSecret"),
                    RedisEndpoint.SENTINEL_PASSWORD.chart("redis.sentinel.enabled"),
                    KUBECONFIG,
                    EgressPolicy.API_SERVER_HOST.means("set in a pod: the cluster commands and the dashboard use"
                            + " the pod's ServiceAccount when there is no kubeconfig")),
            ProviderVariables.KEYS_AND_ENDPOINTS.stream().map(s -> s.setBy("")).toList(),
            List.of(ProviderVariables.MOCK_LATENCY_MS, ProviderVariables.TOOL_TIMEOUT_SECONDS,
                    ProviderVariables.TOOL_MAX_RESPONSE_BYTES, ProviderVariables.MCP_CONNECT_TIMEOUT_SECONDS,
                    ProviderVariables.MAX_TOOL_TURNS,
                    EgressPolicy.ALLOWED.means("what `ark run`'s tools may reach although guarded: on a laptop"
                            + " loopback and private addresses are open, link-local and metadata addresses refused"),
                    USER, CACHE_HOME, HOME, TERM, COLUMNS, LINES, DEBUG),
            TelemetryVariables.ALL);

    private CliVariables() {
    }
}
