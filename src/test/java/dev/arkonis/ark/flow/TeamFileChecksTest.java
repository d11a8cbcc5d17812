package dev.arkonis.ark.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** ark validate of a file that holds a team's agents, registry and settings: each on its own, and what the team names. */
class TeamFileChecksTest {
    private final TeamFileChecks checks = new TeamFileChecks(new TeamValidator(new JsonSchemas()));
    private final TeamFileLoader loader = new TeamFileLoader();

    private static List<String> strings(List<Problem> problems) {
        return problems.stream().map(Problem::toString).toList();
    }

    @Test
    void agentsRegistriesAndSettingsAreReadAndCheckedWithTheirPaths() {
        TeamFile file = loader.load("""
                kind: ArkAgent
                metadata: {name: researcher}
                spec:
                  model: m
                  replicas: -1
                  capabilities: [{id: research.web, tags: [web]}, {id: research.web}]
                  extra: 1
                ---
                kind: ArkRegistry
                metadata: {name: reg}
                spec: {scope: cluster-scoped, policy: {maxDepth: 0, allowCrossTeam: false}}
                ---
                kind: ArkSettings
                metadata: {name: warm}
                spec: {temperature: "1.5", outputFormat: structured-json, promptFragments: {persona: "You are kind."}}
                """);
        assertThat(file.problems()).isEmpty();
        assertThat(file.agents()).singleElement().satisfies(a -> {
            assertThat(strings(a.problems())).containsExactly("spec.extra: unknown field (line 7)");
            assertThat(strings(checks.check(a).errors())).containsExactly("spec.extra: unknown field (line 7)",
                    "spec.replicas: must not be negative, found -1",
                    "spec.capabilities[1].id: duplicate capability \"research.web\"");
        });
        SpecDocument<?> registry = file.registries().get(0);
        assertThat(strings(checks.check(registry).errors())).containsExactly("spec.policy.maxDepth: must be at least 1, found 0");
        assertThat(strings(checks.check(registry).warnings())).containsExactly(
                "spec.scope: only namespace-scoped is implemented: the registry indexes the agents of its own namespace");
        assertThat(strings(checks.check(file.settings().get(0)).errors())).containsExactly(
                "spec.temperature: must be a number from 0.0 to 1.0 written as text (\"0.7\"), found \"1.5\"");
        assertThat(file.settings().get(0).spec().promptFragments().persona()).isEqualTo("You are kind.");
    }

    @Test
    void whatATeamNamesMustBeInItsFileWhenTheFileHoldsThatKind() {
        TeamFile file = loader.load("""
                kind: ArkAgent
                metadata: {name: writer-a}
                spec: {model: m, capabilities: [{id: write.article, tags: [article]}]}
                ---
                kind: ArkRegistry
                metadata: {name: reg}
                spec: {}
                ---
                kind: ArkSettings
                metadata: {name: calm}
                spec: {temperature: "0.2"}
                ---
                kind: ArkTeam
                metadata: {name: content}
                spec:
                  roles:
                    - {name: editor, model: m, settingsRefs: [{name: calm}, {name: loud}]}
                  pipeline:
                    - {role: writer, registryLookup: {capability: write.artcle, fallback: writer-b}}
                    - {role: editor, dependsOn: [writer]}
                ---
                kind: ArkTeam
                metadata: {name: router}
                spec:
                  routing: {registryRef: {name: registry}, model: m, fallback: nobody}
                """);
        assertThat(strings(checks.crossCheck(file.teams().get(0).spec(), file).errors())).containsExactly(
                "spec.pipeline[0].registryLookup.capability: unknown capability \"write.artcle\": no agent of this file has "
                        + "it (capabilities: write.article)",
                "spec.pipeline[0].registryLookup.fallback: no ArkAgent \"writer-b\" in this file (agents: writer-a)",
                "spec.roles[0].settingsRefs[1].name: no ArkSettings \"loud\" in this file (settings: calm)");
        assertThat(strings(checks.crossCheck(file.teams().get(1).spec(), file).errors())).containsExactly(
                "spec.routing.registryRef.name: no ArkRegistry \"registry\" in this file (registries: reg)",
                "spec.routing.fallback: no ArkAgent \"nobody\" in this file (agents: writer-a)");

        TeamFile alone = loader.load("""
                kind: ArkTeam
                metadata: {name: router}
                spec:
                  routing: {registryRef: {name: registry}, model: m, fallback: nobody}
                """);
        Validation clusterLeft = checks.crossCheck(alone.teams().get(0).spec(), alone);
        assertThat(clusterLeft.errors()).isEmpty();
        assertThat(strings(clusterLeft.warnings())).containsExactly(
                "spec.routing.registryRef.name: no ArkRegistry \"registry\" in this file: ark run routes to the fallback");
    }
}
