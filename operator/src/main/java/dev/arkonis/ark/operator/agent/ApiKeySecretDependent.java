package dev.arkonis.ark.operator.agent;

import dev.arkonis.ark.api.AgentEnv;
import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.operator.OperatorConfig;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The copy of the operator's API-key Secret (its provider variables only) in an agent namespace, which the pods of
 * agents that run with the organisation's keys read. One copy serves every such agent of the namespace; each of them
 * is one of its owners, so the API server's garbage collector removes the copy together with the last of them, and an
 * agent that stops using it (its own keys now, or its namespace no longer one the keys reach) leaves its owners. Its
 * name has a dot, which Helm-style and kubectl-created Secret names rarely use, and the managed-by label says whose
 * it is.
 */
public final class ApiKeySecretDependent extends CRUDKubernetesDependentResource<Secret, ArkAgent> {
    public static final String NAME = Ark.API_KEYS_COPY;
    private static final Logger LOG = LoggerFactory.getLogger("operator");
    /** How many times the copy is read and written again while other agents' writes keep getting in first. */
    private static final int WRITE_ATTEMPTS = 20;

    private final OperatorConfig config;

    public ApiKeySecretDependent(OperatorConfig config) {
        super(Secret.class);
        this.config = config;
    }

    @Override
    protected Secret desired(ArkAgent agent, Context<ArkAgent> context) {
        Secret source = source(context).orElseThrow(() -> new IllegalStateException("API key Secret "
                + config.operatorNamespace() + "/" + config.apiKeysSecret().orElse("") + " not found"));
        return new SecretBuilder()
                .withNewMetadata().withName(NAME).withNamespace(agent.getMetadata().getNamespace())
                    .withLabels(Map.of(Ark.LABEL_MANAGED_BY, Ark.MANAGED_BY))
                    .withOwnerReferences(owners(agent, getSecondaryResource(agent, context), context))
                .endMetadata()
                .withType("Opaque")
                .withData(providerData(source))
                .build();
    }

    /** What agents read of the organisation's Secret: its provider variables, nothing else it holds. */
    static Map<String, String> providerData(Secret source) {
        Map<String, String> data = new TreeMap<>(source.getData() == null ? Map.of() : source.getData());
        data.keySet().retainAll(AgentEnv.PROVIDER_KEYS);
        return data;
    }

    /** Whether the agent's pods run with the organisation's keys: it brings none and its namespace is one they reach. */
    static boolean usesOrganisationKeys(OperatorConfig config, ArkAgent agent) {
        return agent.getSpec() != null && !agent.getSpec().hasOwnKeys()
                && config.apiKeysReach(agent.getMetadata().getNamespace());
    }

    /** The one copy of the namespace, whether or not this agent is among its owners yet. */
    @Override
    public Optional<Secret> getSecondaryResource(ArkAgent agent, Context<ArkAgent> context) {
        return ReferencedObjects.owned(context, agent.getMetadata().getNamespace(), NAME);
    }

    @Override
    public Matcher.Result<Secret> match(Secret actual, Secret desired, ArkAgent agent, Context<ArkAgent> context) {
        boolean sameData = Objects.equals(nullToEmpty(actual.getData()), desired.getData());
        boolean sameOwners = owners(actual).equals(owners(desired));
        return Matcher.Result.computed(sameData && sameOwners, desired);
    }

    /** Agents of one namespace created at once each find no copy in the cache; all but the first join its owners. */
    @Override
    public Secret create(Secret desired, ArkAgent agent, Context<ArkAgent> context) {
        try {
            return super.create(desired, agent, context);
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
            return join(desired, agent, context);
        }
    }

    private static boolean isOurs(Secret secret) {
        Map<String, String> labels = secret.getMetadata().getLabels();
        return labels != null && Ark.MANAGED_BY.equals(labels.get(Ark.LABEL_MANAGED_BY));
    }

    @Override
    public Secret update(Secret actual, Secret desired, ArkAgent agent, Context<ArkAgent> context) {
        if (useSSA(context)) {
            return super.update(actual, desired, agent, context);
        }
        return join(desired, agent, context);
    }

    /**
     * The copy with the desired data and this agent among its owners, written over the latest copy; the agents of a
     * namespace keep it together, so one that got in first (409) only means reading again and writing again.
     */
    private Secret join(Secret desired, ArkAgent agent, Context<ArkAgent> context) {
        return rewrite(agent, context, latest -> {
            if (latest == null) {
                return Optional.of(new SecretBuilder(desired).editMetadata()
                        .withOwnerReferences(owners(agent, Optional.empty(), context)).endMetadata().build());
            }
            if (!isOurs(latest)) {
                // someone else's Secret of that name: the agent's condition says so
                throw new IllegalStateException("Secret " + latest.getMetadata().getNamespace() + "/" + NAME
                        + " exists and is not ark's (no label " + Ark.LABEL_MANAGED_BY + "=" + Ark.MANAGED_BY + ")");
            }
            return Optional.of(new SecretBuilder(latest).editMetadata()
                    .withOwnerReferences(owners(agent, Optional.of(latest), context)).endMetadata()
                    .withData(desired.getData()).build());
        }).orElseThrow();
    }

    /**
     * Reads the copy, changes it and writes it (creates it when there is none); on 409 another agent's write got in
     * first, so it reads again and changes that. Empty: the change was to write nothing.
     */
    private static Optional<Secret> rewrite(ArkAgent agent, Context<ArkAgent> context,
                                            Function<Secret, Optional<Secret>> change) {
        var secrets = context.getClient().secrets().inNamespace(agent.getMetadata().getNamespace());
        for (int attempt = 1; ; attempt++) {
            Secret latest = secrets.withName(NAME).get();
            Optional<Secret> changed = change.apply(latest);
            if (changed.isEmpty()) {
                return changed;
            }
            try {
                return Optional.of(latest == null ? secrets.resource(changed.get()).create()
                        : secrets.resource(changed.get()).update());
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt >= WRITE_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    @Override
    protected ResourceID targetSecondaryResourceID(ArkAgent agent, Context<ArkAgent> context) {
        return new ResourceID(NAME, agent.getMetadata().getNamespace());
    }

    Optional<Secret> source(Context<ArkAgent> context) {
        return ReferencedObjects.apiKeySource(context, config);
    }

    /** Every agent of the namespace that still exists and uses the copy, this one included. */
    private List<OwnerReference> owners(ArkAgent agent, Optional<Secret> actual, Context<ArkAgent> context) {
        List<OwnerReference> owners = otherUsers(agent, actual, context);
        owners.add(new OwnerReferenceBuilder().withApiVersion(agent.getApiVersion()).withKind(agent.getKind())
                .withName(agent.getMetadata().getName()).withUid(agent.getMetadata().getUid())
                .withController(false).withBlockOwnerDeletion(false).build());
        owners.sort(java.util.Comparator.comparing(OwnerReference::getName));
        return owners;
    }

    /** The copy's owners that still exist and run with the organisation's keys, this agent left out. */
    private List<OwnerReference> otherUsers(ArkAgent agent, Optional<Secret> actual, Context<ArkAgent> context) {
        Set<String> live = new LinkedHashSet<>();
        context.getPrimaryCache().list(agent.getMetadata().getNamespace())
                .filter(a -> usesOrganisationKeys(config, a)).forEach(a -> live.add(a.getMetadata().getUid()));
        List<OwnerReference> owners = new ArrayList<>();
        actual.map(s -> s.getMetadata().getOwnerReferences()).orElse(List.of()).stream()
                .filter(o -> HasKind.AGENT.equals(o.getKind()) && live.contains(o.getUid())
                        && !Objects.equals(o.getUid(), agent.getMetadata().getUid()))
                .forEach(owners::add);
        return owners;
    }

    /**
     * This agent no longer uses the copy: it leaves its owners, and the copy goes with the last of them, or at once
     * when the organisation's Secret is gone or the namespace is no longer one the keys reach.
     */
    @Override
    protected void handleDelete(ArkAgent agent, Secret copy, Context<ArkAgent> context) {
        if (copy == null) {
            return;
        }
        if (source(context).isEmpty() || otherUsers(agent, Optional.of(copy), context).isEmpty()) {
            super.handleDelete(agent, copy, context);
            return;
        }
        rewrite(agent, context, latest -> {
            if (latest == null || !owners(latest).contains(agent.getMetadata().getUid())) {
                return Optional.empty(); // gone, or never one of its owners: nothing of it to change
            }
            List<OwnerReference> others = otherUsers(agent, Optional.of(latest), context);
            if (others.isEmpty()) {
                // the others left meanwhile: an object without owners is never collected
                context.getClient().resource(latest).delete();
                return Optional.empty();
            }
            return Optional.of(new SecretBuilder(latest).editMetadata().withOwnerReferences(others).endMetadata().build());
        });
    }

    private static Set<String> owners(Secret secret) {
        List<OwnerReference> refs = secret.getMetadata().getOwnerReferences();
        Set<String> uids = new java.util.HashSet<>();
        (refs == null ? List.<OwnerReference>of() : refs).forEach(o -> uids.add(o.getUid()));
        return uids;
    }

    private static Map<String, String> nullToEmpty(Map<String, String> data) {
        return data == null ? Map.of() : data;
    }

    private static final class HasKind {
        static final String AGENT = io.fabric8.kubernetes.api.model.HasMetadata.getKind(ArkAgent.class);
    }

    /**
     * The agent uses the copy only when it runs with the organisation's keys and API_KEYS_SECRET names a Secret that
     * exists; otherwise pods without keys fail visibly.
     */
    public static final class SourceExists implements Condition<Secret, ArkAgent> {
        @Override
        public boolean isMet(DependentResource<Secret, ArkAgent> dependent, ArkAgent agent, Context<ArkAgent> context) {
            ApiKeySecretDependent secret = (ApiKeySecretDependent) dependent;
            if (!usesOrganisationKeys(secret.config, agent)) {
                return false;
            }
            if (secret.source(context).isPresent()) {
                return true;
            }
            // pods then fail with "OPENAI_API_KEY not set"; this line tells the operator's reader why
            LOG.warn("API key Secret {}/{} (API_KEYS_SECRET) not found; agent pods in {} cannot start",
                    secret.config.operatorNamespace(), secret.config.apiKeysSecret().orElse(""),
                    agent.getMetadata().getNamespace());
            return false;
        }
    }
}
