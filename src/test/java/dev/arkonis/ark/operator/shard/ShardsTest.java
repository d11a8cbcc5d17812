package dev.arkonis.ark.operator.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import org.junit.jupiter.api.Test;

/** Which replica reconciles what: the stable hash, the shards held, the cache that finds only theirs. */
class ShardsTest {
    private static final Shards TWO = new Shards(2);

    @Test
    void aNamespacesShardIsTheCrc32OfItsNameModuloTheCount() {
        // zlib.crc32(b"default") = 3814588639, b"team-b" = 815826119: anyone can work a shard out
        assertThat(TWO.of("default")).isEqualTo(1);
        assertThat(new Shards(3).of("default")).isEqualTo((int) (3814588639L % 3));
        assertThat(new Shards(3).of("team-b")).isEqualTo((int) (815826119L % 3));
        assertThat(Shards.ONE.of("anything")).isZero();
    }

    @Test
    void namespacesSpreadOverEveryShard() {
        Map<Integer, Long> perShard = IntStream.range(0, 1000).mapToObj(i -> "team-" + i)
                .collect(Collectors.groupingBy(new Shards(4)::of, Collectors.counting()));
        assertThat(perShard).containsOnlyKeys(0, 1, 2, 3);
        assertThat(perShard.values()).allSatisfy(n -> assertThat(n).isBetween(200L, 300L));
    }

    @Test
    void eachShardHasItsLeaseAndAResultStreamBelongsToItsNamespace() {
        assertThat(new Shards(3).leaseNames())
                .containsExactly("ark-operator-shard-0", "ark-operator-shard-1", "ark-operator-shard-2");
        assertThat(Shards.namespaceOfStream("team-b.writers.writer.results")).isEqualTo("team-b");
        assertThatThrownBy(() -> new Shards(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void oneShardOwnsEverythingFromTheStartAndShardsAreOwnedOnceWon() {
        assertThat(ShardOwnership.of(Shards.ONE).owns("any")).isTrue();
        ShardOwnership ownership = ShardOwnership.of(TWO);
        java.util.List<Integer> won = new java.util.ArrayList<>();
        ownership.onAcquired(won::add);
        assertThat(ownership.owns("default")).isFalse();

        ownership.acquired(1);
        ownership.acquired(1);
        assertThat(ownership.owns("default")).isTrue();
        assertThat(ownership.owns("sharded-0")).as("crc32 1852138536, shard 0").isFalse();
        assertThat(won).as("told once").containsExactly(1);
        assertThat(ownership.namespacesOf(0).test("sharded-0")).isTrue();
    }

    @Test
    void theCacheFindsByNameOnlyObjectsOfHeldShardsAndListsThemAll() {
        ShardOwnership ownership = ShardOwnership.of(TWO);
        ShardItemStore<ConfigMap> store = new ShardItemStore<>(ownership);
        Function<String, ConfigMap> in = ns -> new ConfigMapBuilder().withNewMetadata().withName("x").withNamespace(ns)
                .endMetadata().build();
        store.put(store.getKey(in.apply("default")), in.apply("default"));
        store.put(store.getKey(in.apply("sharded-0")), in.apply("sharded-0"));

        assertThat(store.get("default/x")).as("shard 1 is not held yet").isNull();
        assertThat(store.values()).hasSize(2);
        ownership.acquired(1);
        assertThat(store.get("default/x")).isNotNull();
        assertThat(store.get("sharded-0/x")).isNull();
        assertThat(store.remove("sharded-0/x")).as("removing sees every object").isNotNull();
    }

    @Test
    void aFreeShardGoesAtOnceToAReplicaWithNoneAndLaterToOneThatHoldsSome() {
        ShardLeases.Timing timing = ShardLeases.Timing.DEFAULT;
        assertThat(ShardLeases.patience(0, false, timing)).isZero();
        assertThat(ShardLeases.patience(1, false, timing)).as("replicas starting: the others get their turn")
                .isEqualTo(timing.leaseDuration());
        assertThat(ShardLeases.patience(1, true, timing)).as("a dead replica's shard: soon")
                .isEqualTo(timing.retryPeriod().multipliedBy(2)).isLessThan(Duration.ofSeconds(5));
        assertThat(ShardLeases.patience(2, true, timing)).isEqualTo(timing.retryPeriod().multipliedBy(4));
    }

    @Test
    void aLeaseIsFreeWhenNeverTakenReleasedOrNotRenewedWithinItsDuration() {
        Instant now = Instant.parse("2026-01-01T00:00:30Z");
        assertThat(ShardLeases.isFree(null, now)).isTrue();
        assertThat(ShardLeases.isFree(lease("", now), now)).as("released").isTrue();
        assertThat(ShardLeases.isFree(lease("a", now.minusSeconds(10)), now)).isFalse();
        assertThat(ShardLeases.isFree(lease("a", now.minusSeconds(16)), now)).as("lapsed").isTrue();
    }

    private static LeaderElectionRecord lease(String holder, Instant renewed) {
        return new LeaderElectionRecord(holder, Duration.ofSeconds(15), renewed.atZone(ZoneOffset.UTC),
                renewed.atZone(ZoneOffset.UTC), 0);
    }
}
