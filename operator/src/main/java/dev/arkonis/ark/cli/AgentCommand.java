package dev.arkonis.ark.cli;

import dev.arkonis.ark.agent.AgentVariables;
import dev.arkonis.ark.config.ProcessSettings;
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
import dev.arkonis.ark.telemetry.Telemetry;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;

/**
 * {@code ark agent}: the agent pod's process, configured only by environment (what the operator sets on its pod; the
 * variables are {@link AgentVariables#SETTINGS}, listed by {@code --help}).
 */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = {"Run as an agent: take tasks from the role's Redis stream and answer them with the model.",
                "Configured by environment (below)."})
public final class AgentCommand implements Callable<Integer>, EnvironmentHelp.Configured {
    /** Exit code when the agent cannot start (bad provider set-up, Redis unreachable, port taken). */
    public static final int STARTUP_FAILED = 1;

    private static final Logger LOG = LoggerFactory.getLogger("agent");

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
        return AgentVariables.SETTINGS;
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
