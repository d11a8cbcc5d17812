package dev.arkonis.ark.queue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The Redis keys that agents share per model: its rate-limit buckets and its circuit. They live outside every role's
 * prefix, under {@code ark:models:}, a prefix no stream key can have (stream keys are made of Kubernetes names, which
 * hold no colon): {@code ark:models:ns:<namespace>:<model>:...} for what the agents of one namespace share and
 * {@code ark:models:cluster:<model>:...} for what every agent of the cluster shares. An ACL that grants an agent
 * {@link #pattern()} of its own models' keys lets it slow only those models' calls of its own namespace.
 *
 * @param prefix {@code ark:models:ns:<namespace>:<model>} or {@code ark:models:cluster:<model>}
 */
public record ModelKeys(String prefix) {
    public static final String ROOT = "ark:models:";

    /** What the agents of one namespace share for a model (an ArkModel's name, or a model's). */
    public static ModelKeys namespace(String namespace, String model) {
        return new ModelKeys(ROOT + "ns:" + namespace + ":" + encode(model));
    }

    /** What every agent of the cluster shares for a model of the operator's table. */
    public static ModelKeys cluster(String model) {
        return new ModelKeys(ROOT + "cluster:" + encode(model));
    }

    /** The ACL key pattern of exactly these keys: names are escaped, so no other model's keys match it. */
    public String pattern() {
        return prefix + ":*";
    }

    /** Next allowed request time (ms, GCRA) of the requests-per-minute bucket. */
    public String requests() {
        return prefix + ":requests";
    }

    /** Next allowed time (ms, GCRA) of the tokens-per-minute bucket. */
    public String tokens() {
        return prefix + ":tokens";
    }

    /** The circuit: a hash of consecutive failures, when it may be probed, and why it opened. */
    public String circuit() {
        return prefix + ":circuit";
    }

    /** Held by the one caller probing a half-open circuit. */
    public String probe() {
        return prefix + ":circuit:probe";
    }

    /** Model names are free text: everything but letters, digits, '.', '-' and '_' is escaped, so no glob or colon. */
    static String encode(String model) {
        return URLEncoder.encode(model, StandardCharsets.UTF_8).replace("*", "%2A").replace("+", "%20");
    }
}
