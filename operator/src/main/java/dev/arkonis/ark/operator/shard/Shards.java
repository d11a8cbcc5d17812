package dev.arkonis.ark.operator.shard;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;
import java.util.zip.CRC32;

/**
 * Namespaces split into {@code count} shards by a stable hash: the CRC-32 of the namespace's name (UTF-8), modulo
 * the count, so every replica, and anyone with {@code zlib.crc32}, places a namespace in the same shard. Each shard
 * has its Lease, {@code ark-operator-shard-<i>} in the operator's namespace; one shard is the whole cluster and uses
 * the {@code ark-operator} Lease as before.
 */
public record Shards(int count) {
    public static final Shards ONE = new Shards(1);
    public static final String LEASE_PREFIX = "ark-operator-shard-";

    public Shards {
        if (count < 1) {
            throw new IllegalArgumentException("a shard count is at least 1, not " + count);
        }
    }

    public boolean sharded() {
        return count > 1;
    }

    /** The shard of a namespace's objects and of its result streams. */
    public int of(String namespace) {
        CRC32 crc = new CRC32();
        crc.update((namespace == null ? "" : namespace).getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % count);
    }

    /** The namespace a result stream belongs to: its name's first part ({@code <namespace>.<team>.<role>.results}). */
    public static String namespaceOfStream(String stream) {
        int dot = stream.indexOf('.');
        return dot < 0 ? stream : stream.substring(0, dot);
    }

    public static String leaseName(int shard) {
        return LEASE_PREFIX + shard;
    }

    public List<String> leaseNames() {
        return IntStream.range(0, count).mapToObj(Shards::leaseName).toList();
    }
}
