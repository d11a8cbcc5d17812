package dev.arkonis.ark.cli;

import dev.arkonis.ark.config.ProcessSettings;
import dev.arkonis.ark.egress.EgressPolicy;
import dev.arkonis.ark.http.HealthServer;
import dev.arkonis.ark.http.MetricsAccess;
import dev.arkonis.ark.agent.AgentConfig;
import dev.arkonis.ark.agent.AgentRuntime;
import dev.arkonis.ark.agent.ConfigException;
import dev.arkonis.ark.agent.StartupException;
import dev.arkonis.ark.agent.TerminationSignal;
import dev.arkonis.ark.llm.LlmException;
import dev.arkonis.ark.llm.LlmProvider;
import dev.arkonis.ark.llm.LlmSetup;
import dev.arkonis.ark.llm.ProviderVariables;
import dev.arkonis.ark.queue.RedisEndpoint;
import dev.arkonis.ark.telemetry.Telemetry;
import dev.arkonis.ark.telemetry.TelemetryVariables;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;

/**
 * {@code ark agent}: the agent pod's process, configured only by environment (what the operator sets on its pod; the
 * variables are {@link #SETTINGS}, listed by {@code --help}).
 */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = {"Run as an agent: take tasks from the role's Redis stream and answer them with the model.",
                "Configured by environment (below)."})
public final class AgentCommand implements Callable<Integer>, EnvironmentHelp.Configured {
    /** Exit code when the agent cannot start (bad provider set-up, Redis unreachable, port taken). */
    public static final int STARTUP_FAILED = 1;

    private static final Logger LOG = LoggerFactory.getLogger("agent");
    private static final String BY_OPERATOR = "the operator";

    /** Every variable an agent reads, in the order the README lists them. */
    public static final ProcessSettings SETTINGS = ProcessSettings.of("agent",
            List.of(AgentConfig.QUEUE, RedisEndpoint.URL.setBy(BY_OPERATOR),
                    RedisEndpoint.USERNAME.setBy("`<agent>-queue-credentials`")
                            .means("the agent's own Redis user, from its Secret by `secretKeyRef`"),
                    RedisEndpoint.PASSWORD.setBy("`<agent>-queue-credentials`")),
            AgentConfig.SETTINGS,
            ProviderVariables.TOOLS_AND_CALLS,
            List.of(EgressPolicy.ALLOWED.setBy("the operator, after the role's own `env`, so a role cannot change it")
                            .means("what the role's tools may reach although guarded (see"
                                    + " [Egress](#egress-outbound-http-on-a-tenants-behalf))"),
                    EgressPolicy.DENIED.setBy("the operator, after the role's own `env`")
                            .means("the cluster's API server, guarded from the role's tools"),
                    EgressPolicy.API_SERVER_HOST),
            ProviderVariables.KEYS_AND_ENDPOINTS,
            AgentConfig.IDENTITY,
            TelemetryVariables.PASSED_TO_AGENTS.stream().map(s -> s.setBy("the operator, passing on its own")).toList(),
            List.of(TelemetryVariables.SERVICE_NAME.setBy("the operator: `ark-agent`")),
            TelemetryVariables.ALL);

    /** Builds the model provider from the environment, its calls traced and counted by the agent's telemetry. */
    @FunctionalInterface
    public interface ProviderFactory {
        LlmProvider create(Map<String, String> env, Telemetry telemetry) throws LlmException;
    }

    private final Map<String, String> env;
    private final ProviderFactory providers;
    private final TerminationSignal termination;
    private final Clock clock;

    public AgentCommand() {
        this(System.getenv(), LlmSetup::fromEnv, TerminationSignal.process(), Clock.systemUTC());
    }

    public AgentCommand(Map<String, String> env, ProviderFactory providers, TerminationSignal termination,
                        Clock clock) {
        this.env = Map.copyOf(env);
        this.providers = providers;
        this.termination = termination;
        this.clock = clock;
    }

    @Override
    public ProcessSettings environment() {
        return SETTINGS;
    }

    @Override
    public Integer call() {
        AgentConfig config;
        try {
            config = AgentConfig.fromEnv(env);
        } catch (ConfigException e) {
            LOG.error(e.getMessage());
            return ExitCodes.INVALID;
        }
        // metrics are counted from the start; traces only go somewhere when OTEL_* says where
        Telemetry telemetry = Telemetry.fromEnv(env, "ark-agent");
        telemetry.metrics();
        LlmProvider provider;
        try {
            provider = providers.create(env, telemetry);
            // a wrong model name fails here, at start-up, rather than on the first task
            provider.verify();
        } catch (LlmException e) {
            LOG.error(e.getMessage());
            return STARTUP_FAILED;
        } catch (RuntimeException e) {
            LOG.error("cannot set up provider for model {}: {}", config.model(), e.toString());
            return STARTUP_FAILED;
        }
        CountDownLatch stop = new CountDownLatch(1);
        termination.onTerminate(stop::countDown);
        AgentRuntime runtime = new AgentRuntime(config, provider, clock, telemetry);
        try (telemetry; HealthServer health = HealthServer.start(config.healthPort(), runtime::isReady,
                telemetry.metrics(), MetricsAccess.OPEN)) {
            LOG.info("health and metrics on port {}", health.port());
            try {
                runtime.start();
            } catch (StartupException e) {
                LOG.error(e.getMessage());
                return STARTUP_FAILED;
            }
            stop.await();
            runtime.close();
            LOG.info("agent {} stopped", config.podName());
            return ExitCodes.OK;
        } catch (IOException e) {
            LOG.error("cannot serve health checks on port {}: {}", config.healthPort(), e.getMessage());
            return STARTUP_FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            runtime.close();
            return ExitCodes.OK;
        }
    }
}
