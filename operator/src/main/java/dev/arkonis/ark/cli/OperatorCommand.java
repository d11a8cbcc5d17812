package dev.arkonis.ark.cli;

import dev.arkonis.ark.config.InvalidSettingException;
import dev.arkonis.ark.config.Settings;
import dev.arkonis.ark.http.MetricsAccess;
import dev.arkonis.ark.http.TokenReviewAccess;
import dev.arkonis.ark.operator.ArkOperator;
import dev.arkonis.ark.operator.OperatorConfig;
import dev.arkonis.ark.operator.StatusRecorders;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import dev.arkonis.ark.operator.OperatorAddons;
import dev.arkonis.ark.telemetry.Telemetry;
import dev.arkonis.ark.operator.approval.ApprovalLinkSettings;
import dev.arkonis.ark.operator.notify.Notifications;
import dev.arkonis.ark.operator.notify.NotifySettings;
import dev.arkonis.ark.operator.trigger.TriggerSettings;
import dev.arkonis.ark.operator.trigger.Triggers;
import dev.arkonis.ark.queue.RedisConnections;
import dev.arkonis.ark.queue.RedisUnavailableException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ark operator}: the in-cluster operator, configured by environment (the chart sets it from its values). */
@Command(name = "operator", mixinStandardHelpOptions = true,
        description = "Run the ark operator (in-cluster). Configured by environment: TASK_QUEUE_URL, "
                + "TASK_QUEUE_USERNAME, TASK_QUEUE_PASSWORD, AGENT_IMAGE, "
                + "OPERATOR_NAMESPACE, API_KEYS_SECRET, API_KEYS_NAMESPACES, AGENT_RESOURCES, AGENT_MAX_DAILY_TOKENS, "
                + "WATCH_NAMESPACES, LEADER_ELECTION, HEALTH_PORT, METRICS_AUTH, TRIGGER_WEBHOOK_ENABLED, "
                + "TRIGGER_WEBHOOK_PORT, TRIGGER_WEBHOOK_URL, APPROVAL_LINK_KEY, APPROVAL_LINK_MAX_AGE, NOTIFY_DASHBOARD_URL, "
                + "ARK_EGRESS_ALLOW.")
public final class OperatorCommand implements Callable<Integer> {
    private static final int RUN_FAILED = 1;
    private final Map<String, String> env;

    @Spec
    CommandSpec spec;

    public OperatorCommand() {
        this(System.getenv());
    }

    OperatorCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() throws InterruptedException {
        OperatorConfig config;
        TriggerSettings triggerSettings;
        NotifySettings notifySettings;
        ApprovalLinkSettings linkSettings;
        boolean metricsAuth;
        try {
            config = OperatorConfig.fromEnv(env);
            triggerSettings = TriggerSettings.fromEnv(env);
            notifySettings = NotifySettings.fromEnv(env);
            linkSettings = ApprovalLinkSettings.fromEnv(env, triggerSettings.enabled(),
                    triggerSettings.publicBase(config.operatorNamespace()));
            metricsAuth = new Settings(env).bool("METRICS_AUTH", false);
        } catch (InvalidSettingException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return ExitCodes.INVALID;
        }
        RedisConnections redis;
        try {
            redis = RedisConnections.open(config.taskQueue());
        } catch (RedisUnavailableException e) {
            spec.commandLine().getErr().println("error: TASK_QUEUE_URL: " + e.getMessage());
            return RUN_FAILED;
        }
        KubernetesClient client = new KubernetesClientBuilder().build();
        StatusRecorders statuses = StatusRecorders.of(client, config, Clock.systemUTC());
        Notifications notifications = new Notifications(client, statuses, notifySettings, Clock.systemUTC(), linkSettings);
        Triggers triggers = new Triggers(client, statuses, triggerSettings, config.operatorNamespace(), Clock.systemUTC(),
                linkSettings.links());
        Telemetry telemetry = Telemetry.fromEnv(env, "ark-operator");
        ArkOperator operator = ArkOperator.withQueue(client, config, redis, Clock.systemUTC(),
                new OperatorAddons(notifications.listener(), List.of(triggers.reconciler(), notifications.reconciler()),
                        telemetry, metricsAuth ? new TokenReviewAccess(client, Clock.systemUTC()) : MetricsAccess.OPEN));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            triggers.close();
            operator.stop();
            notifications.close();
            redis.close();
            client.close();
            telemetry.close();
            stopped.countDown();
        }, "ark-operator-shutdown"));
        // listening before the pod is ready; until the ArkEvent controller runs, fires get 503 with Retry-After
        triggers.start();
        operator.start();
        stopped.await();
        return ExitCodes.OK;
    }
}
