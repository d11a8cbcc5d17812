package dev.arkonis.ark.agent;

import dev.arkonis.ark.api.RateLimits;
import dev.arkonis.ark.llm.CallGate;
import dev.arkonis.ark.llm.Circuit;
import dev.arkonis.ark.llm.ModelGuards;
import dev.arkonis.ark.llm.models.ModelProfile;
import dev.arkonis.ark.llm.models.SharedModelKeys;
import dev.arkonis.ark.queue.ModelBuckets;
import dev.arkonis.ark.queue.ModelCircuits;
import dev.arkonis.ark.queue.ModelKeys;
import dev.arkonis.ark.telemetry.ArkMetrics;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An agent's models' rate limits and circuits, in the agent's Redis and shared with every agent of its namespace
 * ({@code ark:models:ns:<namespace>:<model>:...}) and, for models whose limits the operator's table sets, of the
 * cluster ({@code ark:models:cluster:<model>:...}). Until the agent has connected, and while Redis does not answer,
 * calls go unchecked (logged once): a rate limit must not stop an agent that could otherwise work.
 */
public final class SharedModelGuards implements ModelGuards {
    private static final Logger LOG = LoggerFactory.getLogger("llm");
    private static final Duration WAIT_WORTH_LOGGING = Duration.ofSeconds(1);

    private final String namespace;
    private final Clock clock;
    private final ArkMetrics metrics;
    private final AtomicBoolean failing = new AtomicBoolean();
    private volatile ModelBuckets buckets;
    private volatile ModelCircuits circuits;

    /** @param namespace whose agents share the buckets of models configured in that namespace */
    public SharedModelGuards(String namespace, Clock clock, ArkMetrics metrics) {
        this.namespace = namespace;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** The namespace of an agent: AGENT_NAMESPACE, else the first part of its stream key. */
    public static String namespaceOf(AgentConfig config, String agentNamespace) {
        if (agentNamespace != null && !agentNamespace.isBlank()) {
            return agentNamespace;
        }
        int dot = config.queue().indexOf('.');
        return dot > 0 ? config.queue().substring(0, dot) : config.queue();
    }

    /** From now on the limits and circuits live in this Redis. */
    public void attach(StatefulRedisConnection<String, String> redis) {
        attach(redis, ModelCircuits.COOL_DOWN);
    }

    /** @param coolDown how long an open circuit refuses calls (tests shorten it) */
    public void attach(StatefulRedisConnection<String, String> redis, Duration coolDown) {
        buckets = new ModelBuckets(redis);
        circuits = new ModelCircuits(redis, coolDown);
    }

    @Override
    public CallGate gate(ModelProfile model) {
        List<Limit> limits = new ArrayList<>();
        if (model.rateLimits() != null && model.rateLimits().isSet()) {
            limits.add(new Limit(SharedModelKeys.ofNamespace(namespace, model), model.rateLimits()));
        }
        SharedModelKeys.ofCluster(model).ifPresent(keys -> limits.add(new Limit(keys, model.clusterRateLimits())));
        return limits.isEmpty() ? CallGate.OPEN : new Gate(model.name(), limits);
    }

    @Override
    public Circuit circuit(ModelProfile model) {
        ModelKeys keys = SharedModelKeys.ofNamespace(namespace, model);
        return new Circuit() {
            @Override
            public Optional<String> refusal() {
                ModelCircuits c = circuits;
                return c == null ? Optional.empty() : guarded(() -> c.refusal(keys), Optional.empty());
            }

            @Override
            public void succeeded() {
                ModelCircuits c = circuits;
                if (c != null) {
                    guarded(() -> {
                        c.succeeded(keys);
                        return null;
                    }, null);
                }
            }

            @Override
            public void failed(String why) {
                ModelCircuits c = circuits;
                if (c != null) {
                    guarded(() -> {
                        c.failed(keys, why);
                        return null;
                    }, null);
                }
            }
        };
    }

    private record Limit(ModelKeys keys, RateLimits limits) {
        int requests() {
            return limits.requestsPerMinute() == null ? 0 : limits.requestsPerMinute();
        }

        long tokens() {
            return limits.tokensPerMinute() == null ? 0 : limits.tokensPerMinute();
        }
    }

    private final class Gate implements CallGate {
        private final String model;
        private final List<Limit> limits;

        Gate(String model, List<Limit> limits) {
            this.model = model;
            this.limits = limits;
        }

        @Override
        public Duration reserve(long estimatedTokens, Instant deadline) {
            ModelBuckets b = buckets;
            if (b == null) {
                return Duration.ZERO;
            }
            Duration longest = Duration.ZERO;
            for (Limit limit : limits) {
                Duration allowed = Duration.between(clock.instant(), deadline);
                Duration wait = guarded(() -> b.reserve(limit.keys(), limit.requests(), limit.tokens(), estimatedTokens,
                        allowed.isNegative() ? Duration.ZERO : allowed), Duration.ZERO);
                if (wait == null) {
                    return null;
                }
                longest = wait.compareTo(longest) > 0 ? wait : longest;
            }
            metrics.rateLimitWait(model, longest);
            if (longest.compareTo(WAIT_WORTH_LOGGING) >= 0) {
                LOG.info("waiting {} ms for the shared rate limit of {}", longest.toMillis(), model);
            }
            return longest;
        }

        @Override
        public void settle(long estimatedTokens, long actualTokens) {
            ModelBuckets b = buckets;
            if (b != null) {
                for (Limit limit : limits) {
                    guarded(() -> {
                        b.settle(limit.keys(), limit.tokens(), estimatedTokens, actualTokens);
                        return null;
                    }, null);
                }
            }
        }

        @Override
        public void pause(Duration retryAfter) {
            ModelBuckets b = buckets;
            if (b != null) {
                LOG.info("{} answered 429: every agent sharing its rate limit waits {} ms", model, retryAfter.toMillis());
                for (Limit limit : limits) {
                    guarded(() -> {
                        b.pause(limit.keys(), limit.requests(), limit.tokens(), retryAfter);
                        return null;
                    }, null);
                }
            }
        }
    }

    private <T> T guarded(java.util.function.Supplier<T> call, T whenDown) {
        try {
            T value = call.get();
            if (failing.compareAndSet(true, false)) {
                LOG.info("shared rate limits and circuits reachable again");
            }
            return value;
        } catch (RuntimeException e) {
            if (failing.compareAndSet(false, true)) {
                LOG.warn("shared rate limits and circuits unavailable ({}); calling without them", e.getMessage());
            }
            return whenDown;
        }
    }
}
