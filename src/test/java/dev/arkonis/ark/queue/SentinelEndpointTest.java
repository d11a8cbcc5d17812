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
    void theVariablesCredentialsAreTheDataNodesAndTheSentinelsAreAskedWithout() {
        RedisEndpoint endpoint = new RedisEndpoint("redis-sentinel://s1:26379,s2:26379#ark", Optional.of("operator"),
                Optional.of("pw"));
        var uri = endpoint.toUri();
        assertThat(uri.getSentinelMasterId()).isEqualTo("ark");
        assertThat(uri.getUsername()).isEqualTo("operator");
        assertThat(uri.getSentinels()).hasSize(2).allSatisfy(sentinel -> assertThat(sentinel.getPassword()).isNull());
        assertThat(endpoint.credentials().username()).isEqualTo("operator");
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
