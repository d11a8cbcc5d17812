package dev.arkonis.ark.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatNoException;

import dev.arkonis.ark.config.InvalidSettingException;
import java.net.InetAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EgressPolicyTest {
    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void theApiServerIsGuardedByItsNamesAndItsAddress() throws Exception {
        EgressPolicy policy = EgressPolicy.forCluster(Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1"));
        for (String name : new String[] {"kubernetes.default.svc", "KUBERNETES.default.svc.cluster.local.", "10.96.0.1"}) {
            assertThatThrownBy(() -> policy.check(name, ip("10.96.0.1"))).hasMessageContaining("the cluster's API server");
        }
        assertThatThrownBy(() -> policy.check("innocent.example", ip("10.96.0.1")))
                .hasMessage("refused to connect to innocent.example (10.96.0.1): the cluster's API server;"
                        + " ARK_EGRESS_ALLOW (the chart's egress.allow) lifts this");
        assertThatNoException().isThrownBy(() -> policy.check("tools.example", ip("10.96.0.2")));
    }

    @Test
    void theTaskQueuesHostIsGuardedWithoutItsPassword() throws Exception {
        EgressPolicy policy = EgressPolicy.forCluster(Map.of("TASK_QUEUE_URL", "rediss://u:s3cret@10.9.8.7:6380/0"));
        assertThatThrownBy(() -> policy.check("10.9.8.7", ip("10.9.8.7")))
                .hasMessageContaining("the task queue (Redis)").hasMessageNotContaining("s3cret");
    }

    @Test
    void everySentinelOfASentinelUrlIsGuarded() throws Exception {
        EgressPolicy policy = EgressPolicy.forCluster(Map.of("TASK_QUEUE_URL",
                "rediss-sentinel://u:s3cret@10.9.8.1:26379,10.9.8.2,[fd00::3]:26380/0?timeout=5s#ark"));
        for (String host : java.util.List.of("10.9.8.1", "10.9.8.2", "fd00::3")) {
            assertThatThrownBy(() -> policy.check(host, ip(host)))
                    .hasMessageContaining("the task queue (Redis)").hasMessageNotContaining("s3cret");
        }
        assertThatNoException().isThrownBy(() -> policy.check("10.9.8.4", ip("10.9.8.4")));
    }

    @Test
    void ipv4InsideIpv6IsJudgedAsTheIpv4() throws Exception {
        EgressPolicy policy = EgressPolicy.forCluster(Map.of());
        assertThatThrownBy(() -> policy.check("64:ff9b::a9fe:a9fe", ip("64:ff9b::a9fe:a9fe")))
                .hasMessageContaining("a link-local address");
        assertThatThrownBy(() -> policy.check("::7f00:1", ip("::7f00:1"))).hasMessageContaining("a loopback address");
        assertThatThrownBy(() -> policy.check("fe80::1", ip("fe80::1"))).hasMessageContaining("a link-local address");
        assertThatThrownBy(() -> policy.check("::1", ip("::1"))).hasMessageContaining("a loopback address");
    }

    @Test
    void aBadAllowEntryIsNamed() {
        assertThatThrownBy(() -> EgressPolicy.forCluster(Map.of(EgressPolicy.ALLOW, "10.0.0.0/8, 10.0.0.0/33")))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessage("ARK_EGRESS_ALLOW must list CIDRs, addresses or host names, not '10.0.0.0/33'");
    }

    @Test
    void whatAnAgentIsGivenRebuildsTheSamePolicy() throws Exception {
        EgressPolicy operator = EgressPolicy.forCluster(Map.of(EgressPolicy.ALLOW, "10.1.0.0/16",
                "KUBERNETES_SERVICE_HOST", "10.96.0.1"));
        assertThat(operator.agentEnv()).containsEntry(EgressPolicy.ALLOW, "10.1.0.0/16")
                .containsEntry(EgressPolicy.DENY, "10.96.0.1");
        EgressPolicy agent = EgressPolicy.forCluster(operator.agentEnv());
        assertThatThrownBy(() -> agent.check("x", ip("10.96.0.1"))).hasMessageContaining("API server");
        assertThatNoException().isThrownBy(() -> agent.check("x", ip("10.1.2.3")));
        assertThat(EgressPolicy.forCluster(Map.of()).agentEnv())
                .as("set even when empty, so a role's own value never stands").containsEntry(EgressPolicy.ALLOW, "");
    }
}
