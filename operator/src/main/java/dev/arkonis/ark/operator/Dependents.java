package dev.arkonis.ark.operator;

import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.config.dependent.DependentResourceSpec;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResourceFactory;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Builds the dependent resources that {@code @Workflow} declares with their collaborators (constructor injection),
 * instead of JOSDK's no-argument instantiation; JOSDK then configures them from their annotations as usual.
 */
@SuppressWarnings({"rawtypes", "unchecked"})
final class Dependents implements DependentResourceFactory<ControllerConfiguration<?>, DependentResourceSpec> {
    private final Map<Class<?>, Supplier<? extends DependentResource>> factories;

    Dependents(Map<Class<?>, Supplier<? extends DependentResource>> factories) {
        this.factories = Map.copyOf(factories);
    }

    @Override
    public DependentResource createFrom(DependentResourceSpec spec, ControllerConfiguration<?> configuration) {
        Supplier<? extends DependentResource> factory = factories.get(spec.getDependentResourceClass());
        if (factory == null) {
            return DependentResourceFactory.DEFAULT.createFrom(spec, configuration);
        }
        DependentResource dependent = factory.get();
        configure(dependent, spec, configuration);
        return dependent;
    }

    @Override
    public Class<?> associatedResourceType(DependentResourceSpec spec) {
        Supplier<? extends DependentResource> factory = factories.get(spec.getDependentResourceClass());
        return factory == null ? DependentResourceFactory.DEFAULT.associatedResourceType(spec) : factory.get().resourceType();
    }
}
