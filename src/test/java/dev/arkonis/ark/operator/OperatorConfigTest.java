package dev.arkonis.ark.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arkonis.ark.cli.OperatorCommandAccess;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorConfigTest {
    private static Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>(Map.of("TASK_QUEUE_URL", "redis://r:6379", "AGENT_IMAGE", "img",
                "OPERATOR_NAMESPACE", "ark-system"));
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] == null) {
                env.remove(pairs[i]);
            } else {
                env.put(pairs[i], pairs[i + 1]);
            }
        }
        return env;
    }

    @Test
    void defaultsAndParsedValues() {
        OperatorConfig config = OperatorConfig.fromEnv(env("API_KEYS_SECRET", "llm-keys",
                "AGENT_RESOURCES", "{\"requests\":{\"cpu\":\"100m\"},\"limits\":{\"memory\":\"512Mi\"}}",
                "WATCH_NAMESPACES", " team-a, team-b ,", "API_KEYS_NAMESPACES", "team-a", "AGENT_MAX_DAILY_TOKENS", "50000"));
        assertThat(config.taskQueue().url()).isEqualTo("redis://r:6379");
        assertThat(config.apiKeysSecret()).contains("llm-keys");
        assertThat(config.agentResources().orElseThrow().getLimits().get("memory").toString()).isEqualTo("512Mi");
        assertThat(config.watchNamespaces()).containsExactlyInAnyOrder("team-a", "team-b");
        assertThat(config.leaderElection()).isTrue();
        assertThat(config.healthPort()).isEqualTo(8080);
        assertThat(config.apiKeysReach("team-a")).isTrue();
        assertThat(config.apiKeysReach("team-b")).as("watched, but not one the keys reach").isFalse();
        assertThat(config.agentMaxDailyTokens()).isEqualTo(50000);

        OperatorConfig minimal = OperatorConfig.fromEnv(env());
        assertThat(minimal.watchesAllNamespaces()).isTrue();
        assertThat(minimal.apiKeysSecret()).isEmpty();
        assertThat(minimal.agentResources()).isEmpty();
        assertThat(minimal.apiKeysReach("any")).as("no keys to reach anything with").isFalse();
        assertThat(minimal.agentMaxDailyTokens()).as("no budget unless set").isZero();
    }

    @Test
    void everyMissingOrBadSettingIsNamed() {
        assertThatThrownBy(() -> OperatorConfig.fromEnv(env("TASK_QUEUE_URL", null)))
                .hasMessage("TASK_QUEUE_URL not set");
        assertThatThrownBy(() -> OperatorConfig.fromEnv(env("AGENT_IMAGE", " ")))
                .hasMessage("AGENT_IMAGE not set");
        assertThatThrownBy(() -> OperatorConfig.fromEnv(env("OPERATOR_NAMESPACE", null)))
                .hasMessage("OPERATOR_NAMESPACE not set");
        assertThatThrownBy(() -> OperatorConfig.fromEnv(env("AGENT_RESOURCES", "{limits:")))
                .hasMessageStartingWith("AGENT_RESOURCES is not valid JSON: ");
        assertThatThrownBy(() -> OperatorConfig.fromEnv(env("AGENT_RESOURCES", "{\"limitz\":{}}")))
                .hasMessage("AGENT_RESOURCES is not a ResourceRequirements (requests, limits): unknown field(s) [limitz]");
        assertThatThrownBy(() -> OperatorConfig.fromEnv(env("LEADER_ELECTION", "maybe")))
                .hasMessageStartingWith("LEADER_ELECTION must be true or false");
        assertThatThrownBy(() -> OperatorConfig.fromEnv(env("AGENT_MAX_DAILY_TOKENS", "-1")))
                .hasMessage("AGENT_MAX_DAILY_TOKENS must be at least 0, not -1");
        assertThatThrownBy(() -> OperatorConfig.fromEnv(env("HEALTH_PORT", "http")))
                .hasMessageStartingWith("HEALTH_PORT must be a port number");
    }

    @Test
    void oneShardByDefaultAndMoreOnlyWithLeaderElection() {
        assertThat(OperatorConfig.fromEnv(env()).shards().count()).isEqualTo(1);
        assertThat(OperatorConfig.fromEnv(env("SHARDS", "3")).shards().count()).isEqualTo(3);
        assertThatThrownBy(() -> OperatorConfig.fromEnv(env("SHARDS", "2", "LEADER_ELECTION", "false")))
                .hasMessageContaining("SHARDS=2 needs LEADER_ELECTION=true");
        assertThatThrownBy(() -> OperatorConfig.fromEnv(env("SHARDS", "0"))).hasMessageContaining("SHARDS");
    }

    @Test
    void reconcileThreadsAreFewByDefaultAndBounded() {
        assertThat(OperatorConfig.fromEnv(env()).reconcileThreads()).isEqualTo(10);
        assertThat(OperatorConfig.fromEnv(env("RECONCILE_THREADS", "4")).reconcileThreads()).isEqualTo(4);
        assertThatThrownBy(() -> OperatorConfig.fromEnv(env("RECONCILE_THREADS", "0")))
                .hasMessage("RECONCILE_THREADS must be at least 1, not 0");
        assertThatThrownBy(() -> OperatorConfig.fromEnv(env("RECONCILE_THREADS", "500")))
                .hasMessageStartingWith("RECONCILE_THREADS must be at most 200");
    }

    @Test
    void triggerAndNotifySettingsAreReadInTheSameWords() {
        assertThat(OperatorConfig.fromEnv(env()).serverSideApply()).isTrue();
        assertThat(OperatorConfig.fromEnv(env("SERVER_SIDE_APPLY", "false")).serverSideApply()).isFalse();
        assertThatThrownBy(() -> OperatorConfig.fromEnv(env("SERVER_SIDE_APPLY", "no")))
                .hasMessage("SERVER_SIDE_APPLY must be true or false, not 'no'");
        assertThatThrownBy(() -> dev.arkonis.ark.operator.trigger.TriggerSettings.fromEnv(
                env("TRIGGER_WEBHOOK_FIRES_PER_MINUTE", "0")))
                .isInstanceOf(OperatorConfig.InvalidConfigException.class)
                .hasMessage("TRIGGER_WEBHOOK_FIRES_PER_MINUTE must be at least 1, not 0");
        assertThatThrownBy(() -> dev.arkonis.ark.operator.trigger.TriggerSettings.fromEnv(
                env("TRIGGER_WEBHOOK_PORT", "http")))
                .hasMessage("TRIGGER_WEBHOOK_PORT must be a port number (0-65535), not 'http'");
        assertThatThrownBy(() -> dev.arkonis.ark.operator.notify.NotifySettings.fromEnv(env("NOTIFY_ATTEMPTS", "500")))
                .isInstanceOf(OperatorConfig.InvalidConfigException.class)
                .hasMessage("NOTIFY_ATTEMPTS must be at most 100, not 500");
        assertThat(dev.arkonis.ark.operator.notify.NotifySettings.fromEnv(env("NOTIFY_DASHBOARD_URL", "https://d.example/ "))
                .dashboardUrl()).contains("https://d.example");
    }

    @Test
    void arkOperatorPrintsTheSettingAndExitsNonZero() {
        OperatorCommandAccess.Result result = OperatorCommandAccess.run(env("TASK_QUEUE_URL", null));
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err()).contains("TASK_QUEUE_URL not set");
    }
}
