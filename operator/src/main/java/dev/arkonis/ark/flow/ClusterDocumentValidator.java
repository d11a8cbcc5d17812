package dev.arkonis.ark.flow;

import dev.arkonis.ark.api.ArkEventSpec;
import dev.arkonis.ark.api.ArkModelSpec;
import dev.arkonis.ark.api.ArkNotifySpec;
import dev.arkonis.ark.api.ArkTeamSpec;
import dev.arkonis.ark.flow.notify.NotifyValidator;
import dev.arkonis.ark.flow.trigger.TriggerValidator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks an ArkEvent, ArkNotify or ArkModel of a team file as the operator would: fields, schedule, templates,
 * targets, endpoints and fallbacks.
 */
public final class ClusterDocumentValidator {
    private final TriggerValidator triggers = new TriggerValidator();
    private final NotifyValidator notifies = new NotifyValidator();
    private final ModelValidator models = new ModelValidator();

    /** @param teams the file's teams by name: an event's target naming one is checked against it */
    public Validation validate(ClusterDocument document, Map<String, ArkTeamSpec> teams) {
        List<Problem> errors = new ArrayList<>();
        if (document.spec() == null || !document.spec().isObject()) {
            return new Validation(List.of(new Problem("spec", "required")), List.of());
        }
        if (ClusterDocument.MODEL.equals(document.kind())) {
            ArkModelSpec spec = TeamFileLoader.bind(document.spec(), ArkModelSpec.class, errors);
            return spec == null ? new Validation(errors, List.of())
                    : merge(errors, models.validate(document.name(), spec));
        }
        if (ClusterDocument.EVENT.equals(document.kind())) {
            ArkEventSpec spec = TeamFileLoader.bind(document.spec(), ArkEventSpec.class, errors);
            if (spec == null) {
                return new Validation(errors, List.of());
            }
            return merge(errors, triggers.validate(spec, teams));
        }
        ArkNotifySpec spec = TeamFileLoader.bind(document.spec(), ArkNotifySpec.class, errors);
        return spec == null ? new Validation(errors, List.of()) : merge(errors, notifies.validate(spec));
    }

    private static Validation merge(List<Problem> readProblems, Validation checks) {
        List<Problem> errors = new ArrayList<>(readProblems);
        errors.addAll(checks.errors());
        return new Validation(errors, checks.warnings());
    }
}
