package dev.arkonis.ark.flow;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TeamFileLoaderTest {
    private final TeamFileLoader loader = new TeamFileLoader();

    @Test
    void readsTheTeamsOfAMultiDocumentFileAndReportsOtherKinds() {
        TeamFile file = loader.load("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkRun
                metadata: {name: r1}
                spec: {teamRef: {name: a}}
                ---
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata: {name: a, namespace: ns}
                spec:
                  roles: [{name: r, model: gpt-4o}]
                  pipeline: [{role: r}]
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: cm}
                """);
        assertThat(file.problems()).isEmpty();
        assertThat(file.teams()).singleElement().satisfies(t -> {
            assertThat(t.name()).isEqualTo("a");
            assertThat(t.namespace()).isEqualTo("ns");
            assertThat(t.spec().roleList()).singleElement().extracting(r -> r.model()).isEqualTo("gpt-4o");
        });
        assertThat(file.notices()).containsExactly("skipping document 1 (ArkRun r1): not a kind ark reads (ArkTeam, "
                + "ArkAgent, ArkRegistry, ArkSettings, ArkEvent, ArkNotify, ConfigMap, Secret)");
        assertThat(file.resources()).singleElement().satisfies(d -> {
            assertThat(d.kind()).isEqualTo("ConfigMap");
            assertThat(d.name()).isEqualTo("cm");
        });
    }

    @Test
    void malformedYamlNamesLineAndColumn() {
        TeamFile file = loader.load("""
                kind: ArkTeam
                spec:
                  roles: [{name: r, model: gpt-4o}
                  pipeline: []
                """);
        assertThat(file.teams()).isEmpty();
        assertThat(file.problems()).singleElement().extracting(Problem::message).asString()
                .isEqualTo("malformed YAML at line 4, column 3: expected ',' or ']', but got <scalar> (while parsing a flow sequence)");
    }

    @Test
    void emptyFile() {
        assertThat(loader.load("  \n").problems()).extracting(Problem::message).containsExactly("the file is empty");
        assertThat(loader.load("---\n---\n").problems()).extracting(Problem::message)
                .containsExactly("no ArkTeam in the file");
    }

    @Test
    void fileWithoutATeam() {
        TeamFile file = loader.load("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: cm}
                """);
        assertThat(file.problems()).extracting(Problem::message)
                .containsExactly("no ArkTeam in the file (1 other document(s) skipped)");
    }

    @Test
    void anUnknownFieldIsReportedAtItsOwnPathWhetherItsValueIsAMappingOrItSitsInOne() {
        TeamDocument team = loader.load("""
                kind: ArkTeam
                metadata: {name: a}
                spec:
                  roles: [{name: r, model: gpt-4o}]
                  pipeline:
                    - role: r
                      inputs: {prompt: hi}
                    - name: second
                      role: r
                      inputs: {prompt: hi}
                      memo: {maxAge: 1h}
                      review:
                        required: true
                        approvers: [ops]
                      retries: [1, 2]
                    - name: third
                      approval:
                        required: true
                        approvers: [ops]
                      cache: {maxAge: 1h, scope: team}
                """).teams().get(0);
        assertThat(team.readProblems()).extracting(Problem::toString).containsExactly(
                "spec.pipeline[1].memo: unknown field (line 11)",
                "spec.pipeline[1].review: unknown field (line 12)",
                "spec.pipeline[1].retries: unknown field (line 15)",
                "spec.pipeline[2].approval.required: unknown field (line 18)",
                "spec.pipeline[2].approval.approvers: unknown field (line 19)",
                "spec.pipeline[2].cache.scope: unknown field (line 20)");
    }

    @Test
    void everyUnknownFieldAndWrongTypeIsReportedWithItsPath() {
        TeamDocument team = loader.load("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata: {name: a}
                spec:
                  roles: [{name: r, model: gpt-4o, replica: 2}]
                  pipeline:
                    - role: r
                      dependson: [x]
                """).teams().get(0);
        assertThat(team.readProblems()).extracting(Problem::toString).containsExactly(
                "spec.roles[0].replica: unknown field (line 5)",
                "spec.pipeline[0].dependson: unknown field (line 8)");

        TeamDocument wrongType = loader.load("""
                kind: ArkTeam
                metadata: {name: a}
                spec:
                  roles: [{name: r, model: gpt-4o, replicas: many}]
                """).teams().get(0);
        assertThat(wrongType.readProblems()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("spec.roles[0].replicas");
            assertThat(p.message()).contains("many");
        });
    }

    @Test
    void missingNameAndSpecAreProblems() {
        TeamDocument team = loader.load("kind: ArkTeam\nmetadata: {}\n").teams().get(0);
        assertThat(team.readProblems()).extracting(Problem::toString)
                .containsExactly("metadata.name: required", "spec: required");
    }

    @Test
    void fieldsOfTheOriginalsModesAreRead() {
        TeamDocument team = loader.load("""
                kind: ArkTeam
                metadata: {name: a}
                spec:
                  notifyRef: {name: slack}
                  routing: {registryRef: {name: reg}, model: m, fallback: general}
                  autoscaling: {enabled: true, scaleToZero: {enabled: true, afterSeconds: 60}}
                  roles:
                    - name: r
                      model: gpt-4o
                      autoscaling: {enabled: true}
                      settingsRefs: [{name: s}]
                      capabilities: [{id: research.web, description: Web research, tags: [web]}]
                  pipeline:
                    - role: r
                      loop: {maxIterations: 3}
                      registryLookup: {capability: research.web, tags: [web], strategy: round-robin, fallback: general}
                """).teams().get(0);
        assertThat(team.readProblems()).isEmpty();
        assertThat(team.spec().notifyRef().name()).isEqualTo("slack");
        assertThat(team.spec().routing().registryRef().name()).isEqualTo("reg");
        assertThat(team.spec().autoscaling().idleSeconds()).isEqualTo(60);
        assertThat(team.spec().roleList().get(0).capabilities().get(0).tagList()).containsExactly("web");
        assertThat(team.spec().steps().get(0).registryLookup().effectiveStrategy())
                .isEqualTo(dev.arkonis.ark.api.RegistryLookup.Strategy.ROUND_ROBIN);
    }

    @Test
    void everyWrongTypeIsReportedInYamlWordsAndReadingGoesOn() {
        TeamDocument team = loader.load("""
                kind: ArkTeam
                metadata: {name: a}
                spec:
                  timeoutSeconds: "ten minutes"
                  roles:
                    - name: r
                      model: gpt-4o
                      replicas: many
                      provider: gemini
                      limits: {maxTokensPerCall: [1, 2]}
                  pipeline:
                    - role: r
                      validate: {onFailure: maybe}
                """).teams().get(0);
        assertThat(team.readProblems()).extracting(Problem::toString).containsExactly(
                "spec.timeoutSeconds: expected an integer, got \"ten minutes\" (line 4)",
                "spec.roles[0].replicas: expected an integer, got \"many\" (line 8)",
                "spec.roles[0].provider: expected one of openai, anthropic, mock, got \"gemini\" (line 9)",
                "spec.roles[0].limits.maxTokensPerCall: expected an integer, got a list (line 10)",
                "spec.pipeline[0].validate.onFailure: expected one of retry, fail, got \"maybe\" (line 13)");
        // reading went on: the rest of the team is there, so validation adds no false "required" errors
        assertThat(team.spec().roleList()).singleElement().extracting(r -> r.model()).isEqualTo("gpt-4o");
        assertThat(team.spec().steps()).hasSize(1);
    }

    @Test
    void duplicateKeysAreReportedWithBothLines() {
        TeamDocument team = loader.load("""
                kind: ArkTeam
                metadata: {name: a}
                spec:
                  roles:
                    - name: r
                      model: gpt-4o
                      model: claude-sonnet-4
                  pipeline: [{role: r}]
                  pipeline: [{role: r}]
                """).teams().get(0);
        assertThat(team.readProblems()).extracting(Problem::toString).containsExactly(
                "spec.roles[0].model: duplicate key \"model\" at line 7 (first at line 6); each key may appear once",
                "spec.pipeline: duplicate key \"pipeline\" at line 9 (first at line 8); each key may appear once");
    }

    @Test
    void teamAndAgentNamesMustBeKubernetesNames() {
        TeamDocument upper = loader.load("""
                kind: ArkTeam
                metadata: {name: Blog_Writer}
                spec: {roles: [{name: r, model: m}], pipeline: [{role: r}]}
                """).teams().get(0);
        assertThat(upper.readProblems()).extracting(Problem::path).containsExactly("metadata.name");
        assertThat(upper.readProblems().get(0).message()).contains("lowercase letters, digits and '-'");

        String longTeam = "t".repeat(40);
        TeamDocument tooLong = loader.load("""
                kind: ArkTeam
                metadata: {name: %s}
                spec: {roles: [{name: %s, model: m}], pipeline: [{role: %s}]}
                """.formatted(longTeam, "r".repeat(30), "r".repeat(30))).teams().get(0);
        assertThat(tooLong.readProblems()).extracting(Problem::toString).singleElement().asString()
                .startsWith("spec.roles[0].name: the agent name \"" + longTeam + "-").contains("71 characters; at most 63");
    }

    @Test
    void secretsAreDecodedForPrompts() {
        TeamFile file = loader.load("""
                kind: ArkTeam
                metadata: {name: a}
                spec: {roles: [{name: r, model: m}], pipeline: [{role: r}]}
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: prompts, namespace: ns}
                data: {writer: WW91IHdyaXRlLg==}
                stringData: {editor: You edit.}
                """);
        assertThat(file.resources()).singleElement().satisfies(d -> {
            assertThat(d.kind()).isEqualTo("Secret");
            assertThat(d.namespace()).isEqualTo("ns");
            assertThat(d.data()).containsEntry("writer", "You write.").containsEntry("editor", "You edit.");
        });
    }
}
