package dev.arkonis.ark.flow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arkonis.ark.api.AgentLimits;
import dev.arkonis.ark.api.AgentSpec;
import dev.arkonis.ark.api.ApprovalSpec;
import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.CacheSpec;
import dev.arkonis.ark.api.ArkTeamSpec;
import dev.arkonis.ark.api.Autoscaling;
import dev.arkonis.ark.api.Capability;
import dev.arkonis.ark.api.Routing;
import dev.arkonis.ark.api.SettingsRef;
import dev.arkonis.ark.api.PipelineStep;
import dev.arkonis.ark.api.StepValidation;
import dev.arkonis.ark.api.TeamInput;
import dev.arkonis.ark.api.TeamRole;
import dev.arkonis.ark.api.WebhookTool;
import dev.arkonis.ark.gotemplate.Template;
import dev.arkonis.ark.gotemplate.TemplateException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Every check of a team that needs no model call ({@code ark validate}, the team's Valid condition); reports all
 * problems, each at its field path.
 */
public final class TeamValidator {
    private static final Pattern DNS_LABEL = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
    private static final Set<String> STEP_FIELDS = Set.of("output", "data", "phase", "iteration");

    private final JsonSchemas schemas;

    public TeamValidator(JsonSchemas schemas) {
        this.schemas = schemas;
    }

    public Validation validate(ArkTeamSpec spec) {
        Check check = new Check();
        TeamMode mode = TeamMode.of(spec);
        Set<String> roles = checkRoles(spec, mode, check);
        Set<String> inputs = checkInputs(spec, mode, check);
        checkMode(spec, mode, roles, check);
        Map<String, Integer> stepIndex = mode == TeamMode.PIPELINE ? checkStepNames(spec, check) : new LinkedHashMap<>();
        checkDependencies(spec, stepIndex, check);
        DependencyGraph graph = graphOf(spec, stepIndex);
        Optional<List<String>> cycle = graph.findCycle();
        cycle.ifPresent(c -> check.error("spec.pipeline[" + stepIndex.get(c.get(0)) + "].dependsOn",
                "dependency cycle " + String.join(" -> ", c)));
        List<PipelineStep> steps = spec.steps();
        for (int i = 0; i < steps.size(); i++) {
            PipelineStep step = steps.get(i);
            String path = "spec.pipeline[" + i + "]";
            if (step.registryLookup() != null) {
                checkLookup(step, path, check);
            } else if (step.role() != null && !roles.contains(step.role())) {
                check.error(path + ".role", "unknown role \"" + step.role() + "\" (roles: " + String.join(", ", roles) + ")");
            }
            String judgeRole = step.validate() == null ? null : step.validate().judgeRole();
            if (judgeRole != null && !roles.contains(judgeRole)) {
                check.error(path + ".validate.judgeRole", "unknown role \"" + judgeRole + "\" (roles: "
                        + String.join(", ", roles) + ")");
            }
            Supplier<Set<String>> visible = memo(() -> cycle.isPresent() ? stepIndex.keySet() : graph.ancestors(step.effectiveName()));
            // a loop step reads its own last output from its second iteration on
            boolean loop = step.loop() != null;
            for (Map.Entry<String, String> input : step.templates().entrySet()) {
                checkTemplate(path + ".inputs." + input.getKey(), input.getValue(), inputs, stepIndex.keySet(),
                        visible, step.effectiveName(), loop, check);
            }
            if (step.condition() != null) {
                checkTemplate(path + ".if", step.condition(), inputs, stepIndex.keySet(), visible,
                        step.effectiveName(), false, check);
            }
            if (loop) {
                checkLoop(step, path, inputs, stepIndex.keySet(), visible, check);
            }
            if (step.waitsForApproval()) {
                checkApproval(step, path, inputs, stepIndex.keySet(), visible, check);
            }
            checkCache(step.cache(), path + ".cache", check);
            if (step.cache() != null && loop) {
                check.warning(path + ".cache", "a loop step's output is not one prompt's answer: it is never cached");
            }
            checkStepOptions(step, path, check);
        }
        checkCache(spec.cache(), "spec.cache", check);
        if (spec.output() != null) {
            Set<String> visible = mode == TeamMode.PIPELINE ? stepIndex.keySet()
                    : Set.of(mode == TeamMode.ROUTED ? Router.STEP : String.valueOf(spec.entry()));
            checkTemplate("spec.output", spec.output(), freeInput(spec, mode) ? null : inputs, visible, () -> visible,
                    null, false, check);
        }
        positive(spec.timeoutSeconds(), "spec.timeoutSeconds", check);
        positive(spec.maxTokens(), "spec.maxTokens", check);
        notNegative(spec.successfulRunsHistoryLimit(), "spec.successfulRunsHistoryLimit", check);
        notNegative(spec.failedRunsHistoryLimit(), "spec.failedRunsHistoryLimit", check);
        if (spec.notifyRef() != null && isBlank(spec.notifyRef().name())) {
            check.error("spec.notifyRef.name", "required: the ArkNotify to tell");
        }
        if (spec.registryLookup() != null && !spec.registryLookup().isNull()) {
            check.warning("spec.registryLookup", "ignored: registryLookup belongs on pipeline steps");
        }
        checkAutoscaling(spec.autoscaling(), "spec.autoscaling", check);
        return new Validation(check.errors, check.warnings);
    }

    /** A dynamic or routed team that declares no inputs takes any input, whose fields become its task text. */
    static boolean freeInput(ArkTeamSpec spec, TeamMode mode) {
        return mode.takesATask() && spec.inputList().isEmpty();
    }

    /** What each mode needs: an entry role for a dynamic team; a registry and a model, and no pipeline, for a routed one. */
    private static void checkMode(ArkTeamSpec spec, TeamMode mode, Set<String> roles, Check check) {
        if (mode == TeamMode.DYNAMIC) {
            if (isBlank(spec.entry())) {
                check.error("spec.entry", "required in dynamic mode (roles that canDelegate, no pipeline): the role that "
                        + "takes each run's task");
            } else if (!roles.contains(spec.entry())) {
                check.error("spec.entry", "unknown role \"" + spec.entry() + "\" (roles: " + String.join(", ", roles) + ")");
            }
        } else if (mode == TeamMode.ROUTED) {
            Routing routing = spec.routing();
            if (routing.registryRef() == null || isBlank(routing.registryRef().name())) {
                check.error("spec.routing.registryRef.name", "required: the ArkRegistry the router chooses from");
            }
            if (isBlank(routing.model())) {
                check.error("spec.routing.model", "required: the model of the router call");
            }
            if (!spec.steps().isEmpty()) {
                check.error("spec.pipeline", "a routed team (spec.routing) has no pipeline: the agent the router "
                        + "chooses does the whole task");
            }
            if (spec.entry() != null) {
                check.error("spec.entry", "a routed team (spec.routing) has no entry role");
            }
            if (!spec.roleList().isEmpty()) {
                check.warning("spec.roles", "a routed team's runs do not use its roles: the router chooses among the "
                        + "registry's agents");
            }
        } else if (spec.entry() != null) {
            check.warning("spec.entry", "ignored: a team with a pipeline runs its pipeline (drop the pipeline for "
                    + "dynamic mode)");
        }
        if (mode.takesATask() && EntryTask.inputKey(spec.inputList()).isEmpty()) {
            check.error("spec.inputs", "a " + mode.name().toLowerCase(java.util.Locale.ROOT) + " team's task is its "
                    + "first string input; declare one");
        }
    }

    private static void checkLookup(PipelineStep step, String path, Check check) {
        if (isBlank(step.registryLookup().capability())) {
            check.error(path + ".registryLookup.capability", "required: the capability the step's agent must have");
        }
        if (step.registryLookup().fallback() != null && step.registryLookup().fallback().isBlank()) {
            check.error(path + ".registryLookup.fallback", "must name an ArkAgent");
        }
    }

    private static void checkAutoscaling(Autoscaling autoscaling, String path, Check check) {
        if (autoscaling != null && autoscaling.scaleToZero() != null) {
            positive(autoscaling.scaleToZero().afterSeconds(), path + ".scaleToZero.afterSeconds", check);
        }
        if (autoscaling != null) {
            positive(autoscaling.maxReplicas(), path + ".maxReplicas", check);
            positive(autoscaling.targetPendingTasks(), path + ".targetPendingTasks", check);
            if (autoscaling.minReplicas() != null && autoscaling.minReplicas() < 0) {
                check.error(path + ".minReplicas", "must be 0 or more");
            } else if (autoscaling.minReplicas() != null && autoscaling.maxReplicas() != null
                    && autoscaling.minReplicas() > autoscaling.maxReplicas()) {
                check.error(path + ".minReplicas", "is more than maxReplicas (" + autoscaling.maxReplicas() + ")");
            }
        }
    }

    private Set<String> checkRoles(ArkTeamSpec spec, TeamMode mode, Check check) {
        Map<String, Integer> seen = new LinkedHashMap<>();
        List<TeamRole> roles = spec.roleList();
        if (roles.isEmpty() && mode != TeamMode.ROUTED) {
            check.error("spec.roles", "at least one role is required");
        }
        KeyFence.apiKeysProblems(spec.apiKeys(), "spec.apiKeys").forEach(p -> check.error(p.path(), p.message()));
        for (int i = 0; i < roles.size(); i++) {
            TeamRole role = roles.get(i);
            String path = "spec.roles[" + i + "]";
            if (isBlank(role.name())) {
                check.error(path + ".name", "required");
            } else {
                if (!DNS_LABEL.matcher(role.name()).matches() || role.name().length() > 40) {
                    check.error(path + ".name", "\"" + role.name()
                            + "\" must be lowercase letters, digits and '-', at most 40 characters");
                }
                Integer first = seen.putIfAbsent(role.name(), i);
                if (first != null) {
                    check.error(path + ".name", "duplicate role name \"" + role.name() + "\" (also spec.roles[" + first + "])");
                }
            }
            checkAgentSpec(role.agentSpec(), spec.apiKeys() != null || role.apiKeys() != null, path, check);
        }
        Set<String> names = seen.keySet();
        for (int i = 0; i < roles.size(); i++) {
            List<String> targets = roles.get(i).delegates();
            for (int d = 0; d < targets.size(); d++) {
                String target = targets.get(d);
                String at = "spec.roles[" + i + "].canDelegate[" + d + "]";
                if (target == null || !names.contains(target)) {
                    check.error(at, "delegate target \"" + target + "\" is not a role of this team (roles: "
                            + String.join(", ", names) + ")");
                } else if (target.equals(roles.get(i).name())) {
                    check.error(at, "role \"" + target + "\" cannot delegate to itself");
                }
            }
        }
        return names;
    }

    /** What a role and an ArkAgent have in common: model, replicas, limits, prompt, tools, settings, capabilities. */
    private void checkAgentSpec(AgentSpec agent, boolean ownKeys, String path, Check check) {
        if (isBlank(agent.model())) {
            check.error(path + ".model", "required");
        }
        notNegative(agent.replicas(), path + ".replicas", check);
        AgentLimits limits = agent.limits();
        if (limits != null) {
            positive(limits.maxTokensPerCall(), path + ".limits.maxTokensPerCall", check);
            positive(limits.maxConcurrentTasks(), path + ".limits.maxConcurrentTasks", check);
            positive(limits.timeoutSeconds(), path + ".limits.timeoutSeconds", check);
            notNegative(limits.maxDailyTokens(), path + ".limits.maxDailyTokens", check);
            notNegative(limits.maxDailyCost(), path + ".limits.maxDailyCost", check);
        }
        if (agent.systemPromptRef() != null && agent.systemPromptRef().configMapKeyRef() != null
                == (agent.systemPromptRef().secretKeyRef() != null)) {
            check.error(path + ".systemPromptRef", "set exactly one of configMapKeyRef and secretKeyRef");
        }
        List<WebhookTool> tools = agent.tools() == null ? List.of() : agent.tools();
        for (int t = 0; t < tools.size(); t++) {
            WebhookTool tool = tools.get(t);
            String toolPath = path + ".tools[" + t + "]";
            if (isBlank(tool.name())) {
                check.error(toolPath + ".name", "required");
            }
            if (isBlank(tool.url())) {
                check.error(toolPath + ".url", "required");
            }
            if (tool.inputSchema() != null) {
                schemas.checkSchema(tool.inputSchema()).forEach(e -> check.error(toolPath + ".inputSchema", e));
            }
        }
        KeyFence.problems(agent, ownKeys, path).forEach(p -> check.error(p.path(), p.message()));
        if (agent.mcpServers() != null) {
            McpServerRules.check(agent.mcpServers(), path + ".mcpServers", check.warnings).forEach(check.errors::add);
        }
        checkAutoscaling(agent.autoscaling(), path + ".autoscaling", check);
        List<SettingsRef> settings = agent.settingsRefList();
        for (int r = 0; r < settings.size(); r++) {
            if (settings.get(r) == null || isBlank(settings.get(r).name())) {
                check.error(path + ".settingsRefs[" + r + "].name", "required: an ArkSettings of the namespace");
            }
        }
        checkCapabilities(agent.capabilities(), path + ".capabilities", check);
    }

    /** Every check of an ArkAgent's spec that needs no cluster; {@code canDelegate} names roles of a team, so only a team's role has it. */
    public Validation validateAgent(AgentSpec agent) {
        Check check = new Check();
        checkAgentSpec(agent, agent.hasOwnKeys(), "spec", check);
        if (!agent.delegates().isEmpty()) {
            check.warning("spec.canDelegate", "ignored on an ArkAgent no team owns: it names roles of a team");
        }
        return new Validation(check.errors, check.warnings);
    }

    /** Capability ids are required and unique per agent. */
    static void checkCapabilities(List<Capability> capabilities, String path, Check check) {
        Set<String> seen = new java.util.HashSet<>();
        List<Capability> list = capabilities == null ? List.of() : capabilities;
        for (int c = 0; c < list.size(); c++) {
            String id = list.get(c) == null ? null : list.get(c).id();
            if (isBlank(id)) {
                check.error(path + "[" + c + "].id", "required");
            } else if (!seen.add(id)) {
                check.error(path + "[" + c + "].id", "duplicate capability \"" + id + "\"");
            }
        }
    }

    private Set<String> checkInputs(ArkTeamSpec spec, TeamMode mode, Check check) {
        Map<String, Integer> seen = new LinkedHashMap<>();
        List<TeamInput> inputs = spec.inputList();
        for (int i = 0; i < inputs.size(); i++) {
            TeamInput input = inputs.get(i);
            String path = "spec.inputs[" + i + "]";
            if (isBlank(input.name())) {
                check.error(path + ".name", "required");
                continue;
            }
            Integer first = seen.putIfAbsent(input.name(), i);
            if (first != null) {
                check.error(path + ".name", "duplicate input \"" + input.name() + "\" (also spec.inputs[" + first + "])");
            }
            JsonNode defaultValue = input.defaultValue();
            if (defaultValue != null && !defaultValue.isNull()) {
                InputTypes.mismatch(input, defaultValue).ifPresent(m -> check.error(path + ".default", m));
            }
        }
        return seen.keySet();
    }

    private static Map<String, Integer> checkStepNames(ArkTeamSpec spec, Check check) {
        Map<String, Integer> index = new LinkedHashMap<>();
        List<PipelineStep> steps = spec.steps();
        if (steps.isEmpty()) {
            check.error("spec.pipeline", "at least one step is required");
        }
        for (int i = 0; i < steps.size(); i++) {
            PipelineStep step = steps.get(i);
            if (step.waitsForApproval()) {
                if (!isBlank(step.role())) {
                    check.error("spec.pipeline[" + i + "].role", "an approval step waits for a person and runs no role; "
                            + "set either role or approval");
                }
                if (isBlank(step.name())) {
                    check.error("spec.pipeline[" + i + "].name", "required for an approval step");
                    continue;
                }
                if (step.name().length() > Ark.MAX_APPROVAL_STEP_NAME) {
                    check.error("spec.pipeline[" + i + "].name", "an approval step's name is at most "
                            + Ark.MAX_APPROVAL_STEP_NAME + " characters (its decisions are annotations <name>.<asking>)");
                }
            } else if (isBlank(step.role())) {
                check.error("spec.pipeline[" + i + "].role", "required (or approval, for a step a person decides)");
                continue;
            }
            if (step.name() != null) {
                String at = "spec.pipeline[" + i + "].name";
                KubernetesNames.stepNameProblem(step.name()).ifPresent(p -> check.error(at, p));
            }
            Integer first = index.putIfAbsent(step.effectiveName(), i);
            if (first != null) {
                check.error("spec.pipeline[" + i + "].name", "duplicate step name \"" + step.effectiveName()
                        + "\" (also spec.pipeline[" + first + "]; a step's name defaults to its role)");
            }
        }
        return index;
    }

    private static void checkDependencies(ArkTeamSpec spec, Map<String, Integer> stepIndex, Check check) {
        List<PipelineStep> steps = spec.steps();
        for (int i = 0; i < steps.size(); i++) {
            List<String> deps = steps.get(i).dependencies();
            for (int d = 0; d < deps.size(); d++) {
                String dep = deps.get(d);
                String path = "spec.pipeline[" + i + "].dependsOn[" + d + "]";
                if (dep.equals(steps.get(i).effectiveName())) {
                    check.error(path, "step \"" + dep + "\" depends on itself");
                } else if (!stepIndex.containsKey(dep)) {
                    check.error(path, "unknown step \"" + dep + "\" (steps: " + String.join(", ", stepIndex.keySet()) + ")");
                }
            }
        }
    }

    static DependencyGraph graphOf(ArkTeamSpec spec, Map<String, Integer> stepIndex) {
        Map<String, List<String>> deps = new LinkedHashMap<>();
        for (PipelineStep step : spec.steps()) {
            if (!isBlank(step.effectiveName())) {
                deps.putIfAbsent(step.effectiveName(), step.dependencies().stream()
                        .filter(stepIndex::containsKey).filter(d -> !d.equals(step.effectiveName())).toList());
            }
        }
        return new DependencyGraph(deps);
    }

    private static void checkLoop(PipelineStep step, String path, Set<String> inputs, Set<String> steps,
                                  Supplier<Set<String>> visible, Check check) {
        if (isBlank(step.loop().condition())) {
            check.error(path + ".loop.condition", "required: a template rendered after each iteration");
        } else {
            checkTemplate(path + ".loop.condition", step.loop().condition(), inputs, steps, visible,
                    step.effectiveName(), true, check);
        }
        Integer max = step.loop().maxIterations();
        if (max != null && (max < 1 || max > dev.arkonis.ark.api.LoopSpec.MAX_ITERATIONS)) {
            check.error(path + ".loop.maxIterations", "must be from 1 to " + dev.arkonis.ark.api.LoopSpec.MAX_ITERATIONS
                    + ", found " + max);
        }
    }

    /** An approval step asks a person: a message template, a timeout, and nothing of a role's task. */
    private static void checkApproval(PipelineStep step, String path, Set<String> inputs, Set<String> steps,
                                      Supplier<Set<String>> visible, Check check) {
        ApprovalSpec approval = step.approval();
        if (approval.message() != null) {
            checkTemplate(path + ".approval.message", approval.message(), inputs, steps, visible, step.effectiveName(),
                    false, check);
        }
        if (approval.timeout() != null) {
            try {
                if (Durations.parse(approval.timeout()).compareTo(java.time.Duration.ofSeconds(1)) < 0) {
                    check.error(path + ".approval.timeout", "must be at least 1s, found " + approval.timeout());
                }
            } catch (IllegalArgumentException e) {
                check.error(path + ".approval.timeout", e.getMessage());
            }
        }
        Map<String, Object> roleFields = new LinkedHashMap<>();
        roleFields.put("inputs", step.inputs());
        roleFields.put("outputSchema", step.outputSchema());
        roleFields.put("validate", step.validate());
        roleFields.put("loop", step.loop());
        roleFields.put("cache", step.cache());
        roleFields.put("timeoutSeconds", step.timeoutSeconds());
        roleFields.forEach((field, value) -> {
            if (value != null) {
                check.error(path + "." + field, "an approval step runs no role, so it has no " + field
                        + " (use approval.timeout for how long it waits)");
            }
        });
    }

    private static void checkCache(CacheSpec cache, String path, Check check) {
        if (cache == null) {
            return;
        }
        if (isBlank(cache.maxAge())) {
            check.error(path + ".maxAge", "required: how old a reused output may be (e.g. 24h; 0 turns caching off)");
            return;
        }
        try {
            Durations.parse(cache.maxAge());
        } catch (IllegalArgumentException e) {
            check.error(path + ".maxAge", e.getMessage());
        }
    }

    private static void checkTemplate(String path, String source, Set<String> inputs, Set<String> steps,
                                      Supplier<Set<String>> visibleSteps, String self, boolean selfVisible, Check check) {
        Template template;
        try {
            template = Template.parse(source);
        } catch (TemplateException e) {
            check.error(path, e.getMessage());
            return;
        }
        for (List<String> chain : template.rootFieldChains()) {
            String root = chain.get(0);
            if ("input".equals(root)) {
                if (inputs != null && chain.size() > 1 && !inputs.contains(chain.get(1))) {
                    check.error(path, "references undeclared input \"" + chain.get(1) + "\""
                            + (inputs.isEmpty() ? " (the team declares no inputs)" : " (inputs: " + String.join(", ", inputs) + ")"));
                }
            } else if ("steps".equals(root)) {
                if (chain.size() < 2) {
                    continue;
                }
                String step = chain.get(1);
                if (!steps.contains(step)) {
                    check.error(path, "references unknown step \"" + step + "\"");
                } else if (step.equals(self) && !selfVisible) {
                    check.error(path, "references its own step \"" + step + "\"");
                } else if (!step.equals(self) && !visibleSteps.get().contains(step)) {
                    check.error(path, "references step \"" + step + "\" which is not an ancestor of \"" + self
                            + "\" (add it to dependsOn)");
                } else if (chain.size() > 2 && !STEP_FIELDS.contains(chain.get(2))) {
                    check.error(path, "unknown field \"" + chain.get(2) + "\" of step \"" + step
                            + "\" (use output, data, phase or iteration)");
                }
            } else {
                check.error(path, "unknown field \"." + root + "\" (templates read .input and .steps)");
            }
        }
    }

    private void checkStepOptions(PipelineStep step, String path, Check check) {
        if (step.outputSchema() != null) {
            schemas.checkSchema(step.outputSchema()).forEach(e -> check.error(path + ".outputSchema", e));
        }
        positive(step.timeoutSeconds(), path + ".timeoutSeconds", check);
        StepValidation validate = step.validate();
        if (validate != null) {
            if (validate.schema() != null) {
                schemas.checkSchema(validate.schema()).forEach(e -> check.error(path + ".validate.schema", e));
            }
            regex(validate.contains(), path + ".validate.contains", check);
            List<String> rejected = validate.rejectPatterns() == null ? List.of() : validate.rejectPatterns();
            for (int r = 0; r < rejected.size(); r++) {
                regex(rejected.get(r), path + ".validate.rejectPatterns[" + r + "]", check);
            }
            notNegative(validate.maxRetries(), path + ".validate.maxRetries", check);
        }
    }

    private static void regex(String pattern, String path, Check check) {
        if (pattern == null) {
            return;
        }
        try {
            Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            check.error(path, "invalid regular expression: " + e.getDescription());
        }
    }

    private static void positive(Number value, String path, Check check) {
        if (value != null && value.longValue() < 1) {
            check.error(path, "must be at least 1, found " + value);
        }
    }

    private static void notNegative(Number value, String path, Check check) {
        if (value != null && new java.math.BigDecimal(value.toString()).signum() < 0) {
            check.error(path, "must not be negative, found " + value);
        }
    }

    /** Ancestors are worked out only for templates that read other steps. */
    private static <T> Supplier<T> memo(Supplier<T> supplier) {
        Object[] value = new Object[1];
        return () -> {
            if (value[0] == null) {
                value[0] = supplier.get();
            }
            @SuppressWarnings("unchecked")
            T t = (T) value[0];
            return t;
        };
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /** Collects problems in the order found. */
    static final class Check {
        final List<Problem> errors = new ArrayList<>();
        final List<Problem> warnings = new ArrayList<>();

        void error(String path, String message) {
            errors.add(new Problem(path, message));
        }

        void warning(String path, String message) {
            warnings.add(new Problem(path, message));
        }
    }
}
