package dev.arkonis.ark.operator.run;

import dev.arkonis.ark.api.ArkRun;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.api.reconciler.dependent.managed.ManagedWorkflowAndDependentResourceContext;
import io.javaoperatorsdk.operator.processing.event.EventSourceRetriever;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * What JOSDK hands a reconcile, built by hand for direct tests of the run reconciler's decisions: the run's pending
 * results as its secondary resource, and the client. Anything else a reconcile has no business asking for fails.
 */
final class TestContext implements Context<ArkRun> {
    private final KubernetesClient client;
    private final ArkRun primary;
    private final List<dev.arkonis.ark.queue.ResultDelivery> results;

    TestContext(KubernetesClient client, ArkRun primary, List<dev.arkonis.ark.queue.ResultDelivery> results) {
        this.client = client;
        this.primary = primary;
        this.results = List.copyOf(results);
    }

    @Override
    public Optional<RetryInfo> getRetryInfo() {
        return Optional.empty();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <R> Set<R> getSecondaryResources(Class<R> expectedType) {
        return getSecondaryResource(expectedType, null).map(Set::of).orElse(Set.of());
    }

    @Override
    @SuppressWarnings("unchecked")
    public <R> Optional<R> getSecondaryResource(Class<R> expectedType, String eventSourceName) {
        if (expectedType == PendingResults.class && !results.isEmpty()) {
            return Optional.of((R) new PendingResults(results));
        }
        return Optional.empty();
    }

    @Override
    public ControllerConfiguration<ArkRun> getControllerConfiguration() {
        throw new UnsupportedOperationException("not in direct tests");
    }

    @Override
    public ManagedWorkflowAndDependentResourceContext managedWorkflowAndDependentResourceContext() {
        throw new UnsupportedOperationException("not in direct tests");
    }

    @Override
    public EventSourceRetriever<ArkRun> eventSourceRetriever() {
        throw new UnsupportedOperationException("not in direct tests");
    }

    @Override
    public KubernetesClient getClient() {
        return client;
    }

    @Override
    public ExecutorService getWorkflowExecutorService() {
        throw new UnsupportedOperationException("not in direct tests");
    }

    @Override
    public ArkRun getPrimaryResource() {
        return primary;
    }

    @Override
    public IndexedResourceCache<ArkRun> getPrimaryCache() {
        throw new UnsupportedOperationException("not in direct tests");
    }

    @Override
    public boolean isNextReconciliationImminent() {
        return false;
    }

    @Override
    public boolean isPrimaryResourceDeleted() {
        return false;
    }

    @Override
    public boolean isPrimaryResourceFinalStateUnknown() {
        return false;
    }
}
