package dev.arkonis.ark.agent;

import dev.arkonis.ark.config.ProcessSettings;
import dev.arkonis.ark.egress.EgressPolicy;
import dev.arkonis.ark.llm.ModelSettings;
import dev.arkonis.ark.llm.ProviderVariables;
import dev.arkonis.ark.queue.RedisEndpoint;
import dev.arkonis.ark.telemetry.TelemetryVariables;
import java.util.List;

/** Every variable an agent ({@code ark agent}) reads, in the order the README lists them. */
public final class AgentVariables {
    private static final String BY_OPERATOR = "the operator";

    public static final ProcessSettings SETTINGS = ProcessSettings.of("agent",
            List.of(AgentConfig.QUEUE, RedisEndpoint.URL.setBy(BY_OPERATOR),
                    RedisEndpoint.USERNAME.setBy("`<agent>-queue-credentials`")
                            .means("the agent's own Redis user, from its Secret by `secretKeyRef`"),
                    RedisEndpoint.PASSWORD.setBy("`<agent>-queue-credentials`"),
                    RedisEndpoint.SENTINEL_PASSWORD.setBy("`<agent>-queue-credentials`, when the operator has one")),
            AgentConfig.SETTINGS,
            ModelSettings.SETTINGS,
            ProviderVariables.TOOLS_AND_CALLS,
            List.of(EgressPolicy.ALLOWED.setBy("the operator, after the role's own `env`, so a role cannot change it")
                            .means("what the role's tools may reach although guarded (see"
                                    + " [Egress](#egress-outbound-http-on-a-tenants-behalf))"),
                    EgressPolicy.DENIED.setBy("the operator, after the role's own `env`")
                            .means("the cluster's API server, guarded from the role's tools"),
                    EgressPolicy.API_SERVER_HOST),
            ProviderVariables.KEYS_AND_ENDPOINTS,
            ProviderVariables.CHAIN,
            AgentConfig.IDENTITY,
            TelemetryVariables.PASSED_TO_AGENTS.stream().map(s -> s.setBy("the operator, passing on its own")).toList(),
            List.of(TelemetryVariables.SERVICE_NAME.setBy("the operator: `ark-agent`")),
            TelemetryVariables.ALL);

    private AgentVariables() {
    }
}
