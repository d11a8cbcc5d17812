package dev.arkonis.ark.operator.agent;

import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.operator.OperatorConfig;
import dev.arkonis.ark.queue.RedisEndpoint;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An agent's Redis credentials, {@code <agent>-queue-credentials} (keys {@code username}, {@code password}, and
 * through a Sentinel set that demands one {@code sentinel-password}) in its namespace, which its pods read by secretKeyRef; owned by the ArkAgent, so they go with it. Before the Secret is
 * written the agent's Redis user is set ({@link QueueAccess}), with the shared keys of its models; the grant is left in the reconcile's context for the
 * Deployment (a change of credentials rolls the pods) and for the agent's {@code QueueIsolated} condition.
 */
public final class QueueCredentialsDependent extends CRUDKubernetesDependentResource<Secret, ArkAgent> {
    public static final String NAME = "queue-credentials";
    public static final String USERNAME = "username";
    public static final String PASSWORD = "password";
    /** The password of the Sentinel set's default user, copied from the operator's when it has one. */
    public static final String SENTINEL_PASSWORD = "sentinel-password";
    private static final String SUFFIX = "-queue-credentials";

    private final QueueAccess access;
    private final OperatorConfig config;

    /** @param config whose table of models, with the namespace's ArkModels, says which shared model keys agents use */
    public QueueCredentialsDependent(QueueAccess access, OperatorConfig config) {
        super(Secret.class);
        this.access = access;
        this.config = config;
    }

    /** The Secret of an agent's Redis credentials. */
    public static String secretName(String agent) {
        return agent + SUFFIX;
    }

    /** The grant of this reconcile (the Secret is reconciled first). */
    static QueueGrant grantOf(Context<ArkAgent> context) {
        return context.managedWorkflowAndDependentResourceContext().getMandatory(QueueGrant.CONTEXT_KEY, QueueGrant.class);
    }

    @Override
    public ReconcileResult<Secret> reconcile(ArkAgent agent, Context<ArkAgent> context) {
        Optional<RedisEndpoint.Credentials> current = getSecondaryResource(agent, context)
                .map(QueueCredentialsDependent::credentials);
        QueueGrant grant = agent.getSpec() != null && ReferencedObjects.nameClash(context, agent).isPresent()
                ? access.refuse(agent, current)
                : access.grant(agent, current, AgentModels.sharedKeyPatterns(config, agent, context));
        context.managedWorkflowAndDependentResourceContext().put(QueueGrant.CONTEXT_KEY, grant);
        return super.reconcile(agent, context);
    }

    @Override
    protected Secret desired(ArkAgent agent, Context<ArkAgent> context) {
        QueueGrant grant = grantOf(context);
        String name = agent.getMetadata().getName();
        return new SecretBuilder()
                .withNewMetadata().withName(secretName(name)).withNamespace(agent.getMetadata().getNamespace())
                    .withLabels(Map.of(Ark.LABEL_MANAGED_BY, Ark.MANAGED_BY, Ark.LABEL_AGENT, name))
                    .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(agent.getApiVersion())
                            .withKind(agent.getKind()).withName(name).withUid(agent.getMetadata().getUid())
                            .withController(true).withBlockOwnerDeletion(true).build())
                .endMetadata()
                .withType("Opaque")
                .withData(data(grant))
                .build();
    }

    private Map<String, String> data(QueueGrant grant) {
        Map<String, String> data = new TreeMap<>(Map.of(USERNAME, encode(grant.username()),
                PASSWORD, encode(grant.password())));
        config.taskQueue().sentinelPassword().ifPresent(secret -> data.put(SENTINEL_PASSWORD, encode(secret)));
        return data;
    }

    @Override
    public Matcher.Result<Secret> match(Secret actual, Secret desired, ArkAgent agent, Context<ArkAgent> context) {
        return Matcher.Result.computed(Objects.equals(actual.getData(), desired.getData())
                && Objects.equals(actual.getMetadata().getLabels(), desired.getMetadata().getLabels()), desired);
    }

    @Override
    public Optional<Secret> getSecondaryResource(ArkAgent agent, Context<ArkAgent> context) {
        return ReferencedObjects.owned(context, agent.getMetadata().getNamespace(),
                secretName(agent.getMetadata().getName()));
    }

    @Override
    protected ResourceID targetSecondaryResourceID(ArkAgent agent, Context<ArkAgent> context) {
        return new ResourceID(secretName(agent.getMetadata().getName()), agent.getMetadata().getNamespace());
    }

    static RedisEndpoint.Credentials credentials(Secret secret) {
        Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
        return new RedisEndpoint.Credentials(decode(data.get(USERNAME)), decode(data.get(PASSWORD)));
    }

    private static String encode(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String value) {
        return value == null ? "" : new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
    }
}
