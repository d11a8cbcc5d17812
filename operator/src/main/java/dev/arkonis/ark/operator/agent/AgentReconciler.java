package dev.arkonis.ark.operator.agent;

import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.api.AgentStatus;
import dev.arkonis.ark.operator.OperatorConfig;
import dev.arkonis.ark.operator.TeamMembership;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** ArkAgent → its Deployment (SPEC 3), the mirrored API-key Secret, and a status read from the Deployment. */
@ControllerConfiguration(name = "arkagent")
public final class AgentReconciler implements Reconciler<ArkAgent> {
    private static final Logger LOG = LoggerFactory.getLogger("operator");

    private final OperatorConfig config;
    private final AgentDeployment deployments;
    private final DeploymentSync deploymentSync;
    private final ApiKeyMirror mirror;
    private final DesiredReplicas replicas;
    private final Clock clock;
    private ReferencedObjects referenced;

    public AgentReconciler(OperatorConfig config, AgentDeployment deployments, DeploymentSync deploymentSync,
            ApiKeyMirror mirror, DesiredReplicas replicas, Clock clock) {
        this.config = config;
        this.deployments = deployments;
        this.deploymentSync = deploymentSync;
        this.mirror = mirror;
        this.replicas = replicas;
        this.clock = clock;
    }

    @Override
    public List<EventSource<?, ArkAgent>> prepareEventSources(EventSourceContext<ArkAgent> context) {
        InformerEventSource<Deployment, ArkAgent> deploymentSource = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(Deployment.class, ArkAgent.class)
                        .withNamespacesInheritedFromController()
                        .withLabelSelector(Ark.LABEL_MANAGED_BY + "=" + Ark.MANAGED_BY)
                        .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(ArkAgent.class))
                        .build(), context);
        referenced = new ReferencedObjects(config, context);
        return List.of(deploymentSource, referenced.secrets(), referenced.configMaps());
    }

    @Override
    public UpdateControl<ArkAgent> reconcile(ArkAgent agent, Context<ArkAgent> context) {
        String namespace = agent.getMetadata().getNamespace();
        Optional<TeamMembership> membership = TeamMembership.of(agent);
        String queue = TeamMembership.queueOf(agent);
        Optional<Secret> apiKeys = mirrorApiKeys(namespace);

        String hash = ConfigHash.of(DataRef.of(agent.getSpec()),
                name -> referenced.configMap(namespace, name), name -> referenced.secret(namespace, name), apiKeys);
        Deployment desired = deployments.desired(agent, new AgentDeployment.Inputs(queue, membership,
                replicas.of(agent), hash, config.apiKeysSecret().map(s -> ApiKeyMirror.NAME)));
        Deployment actual = deploymentSync.sync(desired, context.getSecondaryResource(Deployment.class));

        AgentStatus status = AgentStatusBuilder.build(agent, actual, queue, clock.instant());
        if (Objects.equals(status, agent.getStatus())) {
            return UpdateControl.noUpdate();
        }
        agent.setStatus(status);
        return UpdateControl.patchStatus(agent);
    }

    /** The source Secret, after making sure its copy in the agent's namespace is current; empty when there is none. */
    private Optional<Secret> mirrorApiKeys(String namespace) {
        if (config.apiKeysSecret().isEmpty()) {
            return Optional.empty();
        }
        String sourceName = config.apiKeysSecret().get();
        Optional<Secret> source = referenced.secret(config.operatorNamespace(), sourceName);
        if (source.isEmpty()) {
            // pods then fail with "OPENAI_API_KEY not set"; this line tells the operator's reader why
            LOG.warn("API key Secret {}/{} (API_KEYS_SECRET) not found; agent pods in {} cannot start",
                    config.operatorNamespace(), sourceName, namespace);
            return Optional.empty();
        }
        mirror.sync(namespace, source.get(), referenced.secret(namespace, ApiKeyMirror.NAME));
        return source;
    }
}
