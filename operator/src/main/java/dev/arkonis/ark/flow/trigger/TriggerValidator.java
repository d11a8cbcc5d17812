package dev.arkonis.ark.flow.trigger;

import dev.arkonis.ark.api.ArkEventSpec;
import dev.arkonis.ark.api.ArkTeamSpec;
import dev.arkonis.ark.flow.TeamMode;
import dev.arkonis.ark.api.TeamInput;
import dev.arkonis.ark.api.TriggerSource;
import dev.arkonis.ark.api.TriggerTarget;
import dev.arkonis.ark.flow.Problem;
import dev.arkonis.ark.flow.Validation;
import dev.arkonis.ark.gotemplate.Template;
import dev.arkonis.ark.gotemplate.TemplateException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Checks of an ArkEvent that need no cluster: schedule, time zone, source, targets and their input templates. */
public final class TriggerValidator {

    /** @param teams teams known beside the event (those of the same file); a target naming one is checked against it */
    public Validation validate(ArkEventSpec spec, Map<String, ArkTeamSpec> teams) {
        List<Problem> errors = new ArrayList<>();
        List<Problem> warnings = new ArrayList<>();
        TriggerSource source = spec.source();
        TriggerSource.Type type = source == null ? null : source.type();
        if (source == null) {
            errors.add(new Problem("spec.source", "required"));
        } else if (type == null) {
            errors.add(new Problem("spec.source.type", "required (cron, webhook or pipeline-output)"));
        } else {
            checkSource(source, errors, warnings);
        }
        List<TriggerTarget> targets = spec.targetList();
        if (targets.isEmpty()) {
            errors.add(new Problem("spec.targets", "at least one target is required"));
        }
        Set<String> fields = TriggerFields.of(type);
        for (int i = 0; i < targets.size(); i++) {
            TriggerTarget target = targets.get(i);
            String path = "spec.targets[" + i + "]";
            if (target.team() == null || target.team().isBlank()) {
                errors.add(new Problem(path + ".team", "required"));
            }
            target.inputTemplates().forEach((name, source1) ->
                    checkTemplate(path + ".input." + name, source1, type, fields, errors));
            ArkTeamSpec team = target.team() == null ? null : teams.get(target.team());
            if (team != null) {
                checkAgainstTeam(path, target, team, errors);
            }
        }
        return new Validation(errors, warnings);
    }

    /** The schedule of a cron source, for callers that go on to use it. */
    public static Optional<CronSchedule> schedule(TriggerSource source) {
        try {
            return Optional.of(CronSchedule.parse(source.cron(), source.timeZone()));
        } catch (CronSchedule.InvalidScheduleException e) {
            return Optional.empty();
        }
    }

    private static void checkSource(TriggerSource source, List<Problem> errors, List<Problem> warnings) {
        TriggerSource.Type type = source.type();
        if (type == TriggerSource.Type.CRON) {
            try {
                CronSchedule.parse(source.cron(), source.timeZone());
            } catch (CronSchedule.InvalidScheduleException e) {
                String message = e.getMessage();
                int colon = message.indexOf(": ");
                errors.add(new Problem("spec.source." + message.substring(0, colon), message.substring(colon + 2)));
            }
            if (source.startingDeadlineSeconds() != null && source.startingDeadlineSeconds() < 0) {
                errors.add(new Problem("spec.source.startingDeadlineSeconds", "must not be negative, found "
                        + source.startingDeadlineSeconds()));
            }
        } else {
            ignored(source.cron(), "spec.source.cron", type, warnings);
            ignored(source.timeZone(), "spec.source.timeZone", type, warnings);
            ignored(source.startingDeadlineSeconds(), "spec.source.startingDeadlineSeconds", type, warnings);
        }
        if (type.watchesRuns()) {
            String field = source.pipelineOutput() != null || source.teamOutput() == null ? "pipelineOutput" : "teamOutput";
            if (source.upstream() == null || source.upstream().name() == null || source.upstream().name().isBlank()) {
                errors.add(new Problem("spec.source." + field + ".name", "required: the team whose runs fire this event"));
            }
        } else if (source.upstream() != null) {
            warnings.add(new Problem("spec.source.pipelineOutput", "ignored: the source type is " + type.wireName()));
        }
    }

    private static void ignored(Object value, String path, TriggerSource.Type type, List<Problem> warnings) {
        if (value != null) {
            warnings.add(new Problem(path, "ignored: the source type is " + type.wireName()));
        }
    }

    private static void checkTemplate(String path, String source, TriggerSource.Type type, Set<String> fields,
                                      List<Problem> errors) {
        Template template;
        try {
            template = Template.parse(source == null ? "" : source);
        } catch (TemplateException e) {
            errors.add(new Problem(path, e.getMessage()));
            return;
        }
        for (List<String> chain : template.rootFieldChains()) {
            if (!"trigger".equals(chain.get(0))) {
                errors.add(new Problem(path, "unknown field \"." + chain.get(0) + "\" (input templates read .trigger)"));
            } else if (chain.size() > 1 && !fields.contains(chain.get(1))) {
                errors.add(new Problem(path, "unknown field \".trigger." + chain.get(1) + "\""
                        + (type == null ? "" : " for a " + type.wireName() + " source")
                        + " (.trigger has " + String.join(", ", new TreeSet<>(fields)) + ")"));
            }
        }
    }

    private static void checkAgainstTeam(String path, TriggerTarget target, ArkTeamSpec team, List<Problem> errors) {
        if (team.inputList().isEmpty() && TeamMode.of(team).takesATask()) {
            return; // a dynamic or routed team that declares no inputs takes any
        }
        Set<String> declared = new TreeSet<>();
        team.inputList().forEach(i -> declared.add(i.name()));
        for (String name : target.inputTemplates().keySet()) {
            if (!declared.contains(name)) {
                errors.add(new Problem(path + ".input." + name, "team " + target.team() + " declares no input \"" + name
                        + "\"" + (declared.isEmpty() ? "" : " (inputs: " + String.join(", ", declared) + ")")));
            }
        }
        for (TeamInput input : team.inputList()) {
            boolean hasDefault = input.defaultValue() != null && !input.defaultValue().isNull();
            if (input.isRequired() && !hasDefault && !target.inputTemplates().containsKey(input.name())) {
                errors.add(new Problem(path + ".input", "team " + target.team() + " requires input \"" + input.name() + "\""));
            }
        }
    }
}
