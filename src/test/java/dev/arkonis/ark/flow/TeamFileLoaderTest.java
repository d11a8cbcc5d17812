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
        assertThat(file.notices()).containsExactly(
                "skipping document 1 (ArkRun r1): only ArkTeam documents are run",
                "skipping document 3 (ConfigMap cm): only ArkTeam documents are run");
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
                "spec.roles[0].replica: unknown field",
                "spec.pipeline[0].dependson: unknown field");

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
    void fieldsOfTheOriginalThatArkDoesNotImplementAreAccepted() {
        TeamDocument team = loader.load("""
                kind: ArkTeam
                metadata: {name: a}
                spec:
                  notifyRef: {name: slack}
                  routing: {strategy: capability}
                  roles:
                    - name: r
                      model: gpt-4o
                      autoscaling: {minReplicas: 1}
                      settingsRefs: [{name: s}]
                  pipeline:
                    - role: r
                      loop: {maxIterations: 3}
                """).teams().get(0);
        assertThat(team.readProblems()).isEmpty();
        assertThat(team.spec().notifyRef().name()).isEqualTo("slack");
    }
}
