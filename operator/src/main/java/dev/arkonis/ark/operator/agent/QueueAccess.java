package dev.arkonis.ark.operator.agent;

import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.operator.ReconcileErrors;
import dev.arkonis.ark.operator.TeamMembership;
import dev.arkonis.ark.queue.AclUsers;
import dev.arkonis.ark.queue.AgentAcl;
import dev.arkonis.ark.queue.RedisEndpoint;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Which Redis credentials an agent's pods get: a user of the agent's own, set in Redis now, with the password its
 * Secret already holds (or a new random one); or, where the operator's user may not manage ACL users, the operator's
 * own credential, shared by every agent. Its ACL user goes when the agent goes.
 */
public final class QueueAccess {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AclUsers users;
    private final RedisEndpoint operator;

    private QueueAccess(AclUsers users, RedisEndpoint operator) {
        this.users = users;
        this.operator = operator;
    }

    /** No Redis (operator tests without a queue): agents get credentials of their own that are set nowhere. */
    public static QueueAccess none() {
        return new QueueAccess(null, null);
    }

    /** Agents' users managed through {@code users}; {@code operator} is the credential shared where that is refused. */
    public static QueueAccess on(AclUsers users, RedisEndpoint operator) {
        return new QueueAccess(users, operator);
    }

    /**
     * Sets the agent's user and says what its pods get. An unreachable Redis is no failure: the pods get the agent's
     * own credentials, which work once Redis is back and the user is set. Any other refusal by Redis fails.
     *
     * @param current the user and password the agent's Secret holds now, if any
     */
    QueueGrant grant(ArkAgent agent, Optional<RedisEndpoint.Credentials> current) {
        String namespace = agent.getMetadata().getNamespace();
        String user = AgentAcl.userOf(namespace, agent.getMetadata().getName());
        String password = current.filter(c -> c.username().equals(user) && !c.password().isEmpty())
                .map(RedisEndpoint.Credentials::password).orElseGet(QueueAccess::newPassword);
        if (users == null) {
            return new QueueGrant(QueueGrant.Kind.NO_QUEUE, user, password, "");
        }
        AgentAcl acl = AgentAcl.forAgent(namespace, agent.getMetadata().getName(), TeamMembership.queueOf(agent));
        AclUsers.Outcome outcome;
        try {
            outcome = users.set(acl, password);
        } catch (RedisCommandExecutionException e) {
            throw e;
        } catch (RedisException e) {
            return new QueueGrant(QueueGrant.Kind.PENDING, user, password, "cannot set the agent's Redis user "
                    + user + " yet: " + ReconcileErrors.describe(e) + "; its pods connect once Redis is back");
        }
        if (outcome.set()) {
            return new QueueGrant(QueueGrant.Kind.OWN_USER, user, password, "agent pods use the Redis user " + user
                    + ", allowed only the keys " + String.join(" and ", acl.keyPatterns()));
        }
        RedisEndpoint.Credentials shared = operator.credentials();
        return new QueueGrant(QueueGrant.Kind.SHARED, shared.username(), shared.password(),
                "the operator's Redis user may not manage ACL users (Redis answered: " + outcome.refusal()
                        + "); agent pods use the operator's own Redis credential, which reaches every namespace's queues");
    }

    /**
     * The agent may not have its queue (see {@link AgentProblems}): no user of its own is set, one it had is removed
     * (with its connections), and its pods, which run none anyway, get credentials that open nothing.
     */
    QueueGrant refuse(ArkAgent agent, Optional<RedisEndpoint.Credentials> current) {
        String user = AgentAcl.userOf(agent.getMetadata().getNamespace(), agent.getMetadata().getName());
        String password = current.filter(c -> c.username().equals(user) && !c.password().isEmpty())
                .map(RedisEndpoint.Credentials::password).orElseGet(QueueAccess::newPassword);
        if (users == null) {
            return new QueueGrant(QueueGrant.Kind.NO_QUEUE, user, password, "");
        }
        try {
            revoke(agent);
        } catch (RedisException e) {
            // an unreachable Redis lost no user it was not given; the next reconcile removes it
        }
        return new QueueGrant(QueueGrant.Kind.REFUSED, user, password, "the agent is refused (see its Valid "
                + "condition): it has no Redis user");
    }

    /** The agent is gone: so is its user (and any connection still using it). */
    void revoke(ArkAgent agent) {
        if (users != null) {
            users.delete(AgentAcl.userOf(agent.getMetadata().getNamespace(), agent.getMetadata().getName()));
        }
    }

    private static String newPassword() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
