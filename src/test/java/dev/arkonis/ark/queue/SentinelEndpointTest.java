package dev.arkonis.ark.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Sentinel URLs as ark's processes are given them: credentials never handed on, never shown. */
class SentinelEndpointTest {
    private static final String URL = "rediss-sentinel://ark:s3cret@s1:26379,s2:26379,s3:26379/0#ark";

    @Test
    void aSentinelUrlIsHandedOnAndShownWithoutItsPassword() {
        RedisEndpoint endpoint = RedisEndpoint.of(URL);
        assertThat(endpoint.withoutCredentials()).isEqualTo("rediss-sentinel://s1:26379,s2:26379,s3:26379/0#ark");
        assertThat(endpoint.redacted()).isEqualTo("rediss-sentinel://ark:***@s1:26379,s2:26379,s3:26379/0#ark");
        assertThat(RedisUrls.hosts(URL)).containsExactly("s1", "s2", "s3");
    }

    @Test
    void withoutASentinelPasswordTheSentinelsAreAskedWithout() {
        RedisEndpoint endpoint = new RedisEndpoint("redis-sentinel://s1:26379,s2:26379#ark", Optional.of("operator"),
                Optional.of("pw"));
        var uri = endpoint.toUri();
        assertThat(uri.getSentinelMasterId()).isEqualTo("ark");
        assertThat(uri.getUsername()).isEqualTo("operator");
        assertThat(uri.getSentinels()).hasSize(2).allSatisfy(sentinel -> assertThat(sentinel.getPassword()).isNull());
        assertThat(endpoint.credentials().username()).isEqualTo("operator");
    }

    @Test
    void theSentinelPasswordGoesToEverySentinelAndIsNeverShown() {
        RedisEndpoint endpoint = new RedisEndpoint("redis-sentinel://s1:26379,s2:26379#ark", Optional.of("operator"),
                Optional.of("data-pw"), Optional.of("lookup-pw"));
        var uri = endpoint.toUri();
        assertThat(uri.getSentinels()).hasSize(2).allSatisfy(sentinel -> {
            assertThat(sentinel.getUsername()).as("the sentinels' default user").isNull();
            assertThat(new String(sentinel.getPassword())).isEqualTo("lookup-pw");
        });
        assertThat(new String(uri.getPassword())).isEqualTo("data-pw");
        assertThat(endpoint.toString()).doesNotContain("lookup-pw").doesNotContain("data-pw")
                .contains("sentinel password set");
        assertThat(RedisEndpoint.fromEnv(java.util.Map.of("TASK_QUEUE_URL", "redis-sentinel://s1:26379#ark",
                "TASK_QUEUE_SENTINEL_PASSWORD", "lookup-pw")).orElseThrow().sentinelPassword()).contains("lookup-pw");
    }

    @Test
    void sentinelsThatDemandAPasswordAnswerOnlyWithIt() throws Exception {
        try (SentinelSet set = SentinelSet.start()) {
            RedisEndpoint withoutIt = new RedisEndpoint(set.url(), Optional.empty(), Optional.of(SentinelSet.PASSWORD));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> RedisConnections.open(withoutIt).close())
                    .isInstanceOf(RedisUnavailableException.class)
                    .hasMessageNotContaining(SentinelSet.PASSWORD).hasMessageNotContaining(SentinelSet.LOOKUP_PASSWORD);
            RedisEndpoint wrong = new RedisEndpoint(set.url(), Optional.empty(), Optional.of(SentinelSet.PASSWORD),
                    Optional.of("not-the-lookup-secret"));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> RedisConnections.open(wrong).close())
                    .isInstanceOf(RedisUnavailableException.class)
                    .hasMessageNotContaining("not-the-lookup-secret").hasMessageNotContaining(SentinelSet.PASSWORD)
                    .satisfies(e -> assertThat(String.valueOf(e.getCause())).doesNotContain("not-the-lookup-secret"));
            try (RedisConnections connections = RedisConnections.open(set.endpoint())) {
                connections.shared().sync().set("reached", "through the sentinels");
                assertThat(set.node(set.primaryPort()).get("reached")).isEqualTo("through the sentinels");
            }
        }
    }

    @Test
    void aSentinelAnswersItsDefaultUserOnlyWhereThePrimaryIs() {
        try (SentinelSet set = SentinelSet.start()) {
            assertThat(set.primaryNamedBySentinels()).isEqualTo(set.primaryPort());
            var anyone = set.sentinel(0, false);
            for (String[] command : new String[][] {{"failover", SentinelSet.MASTER},
                    {"set", SentinelSet.MASTER, "quorum", "1"}, {"remove", SentinelSet.MASTER}}) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> anyone.dispatch(
                                io.lettuce.core.protocol.CommandType.SENTINEL,
                                new io.lettuce.core.output.StatusOutput<>(io.lettuce.core.codec.StringCodec.UTF8),
                                new io.lettuce.core.protocol.CommandArgs<>(io.lettuce.core.codec.StringCodec.UTF8)
                                        .addValues(command)))
                        .hasMessageContaining("NOPERM");
            }
            assertThat(set.primaryNamedBySentinels()).as("nothing moved").isEqualTo(set.primaryPort());
        }
    }
}
