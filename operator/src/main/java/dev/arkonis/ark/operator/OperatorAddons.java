package dev.arkonis.ark.operator;

import dev.arkonis.ark.http.MetricsAccess;
import dev.arkonis.ark.telemetry.Telemetry;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import java.util.List;

/**
 * What rides with the operator beside its own controllers: a listener of moments in runs and agents
 * (notifications), reconcilers of their own (ArkEvent, ArkNotify), all registered the same way, where its traces
 * and metrics go (null: an operator of its own, tracing nothing), and who may read its metrics.
 */
public record OperatorAddons(ArkLifecycle lifecycle, List<Reconciler<?>> reconcilers, Telemetry telemetry,
                             MetricsAccess metricsAccess) {
    public static final OperatorAddons NONE = new OperatorAddons(ArkLifecycle.NONE, List.of());

    public OperatorAddons {
        reconcilers = List.copyOf(reconcilers);
    }

    public OperatorAddons(ArkLifecycle lifecycle, List<Reconciler<?>> reconcilers, Telemetry telemetry) {
        this(lifecycle, reconcilers, telemetry, MetricsAccess.OPEN);
    }

    public OperatorAddons(ArkLifecycle lifecycle, List<Reconciler<?>> reconcilers) {
        this(lifecycle, reconcilers, null);
    }

    public static OperatorAddons of(Reconciler<?>... reconcilers) {
        return new OperatorAddons(ArkLifecycle.NONE, List.of(reconcilers));
    }

    public OperatorAddons withTelemetry(Telemetry value) {
        return new OperatorAddons(lifecycle, reconcilers, value, metricsAccess);
    }

    public OperatorAddons withMetricsAccess(MetricsAccess value) {
        return new OperatorAddons(lifecycle, reconcilers, telemetry, value);
    }
}
