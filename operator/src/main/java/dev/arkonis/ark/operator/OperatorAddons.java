package dev.arkonis.ark.operator;

import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import java.util.List;

/**
 * What rides with the operator beside its own controllers: a listener of moments in runs and agents
 * (notifications) and reconcilers of their own (ArkEvent, ArkNotify), all registered the same way.
 */
public record OperatorAddons(ArkLifecycle lifecycle, List<Reconciler<?>> reconcilers) {
    public static final OperatorAddons NONE = new OperatorAddons(ArkLifecycle.NONE, List.of());

    public OperatorAddons {
        reconcilers = List.copyOf(reconcilers);
    }

    public static OperatorAddons of(Reconciler<?>... reconcilers) {
        return new OperatorAddons(ArkLifecycle.NONE, List.of(reconcilers));
    }
}
