package dev.arkonis.ark.flow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arkonis.ark.api.ArkTeamSpec;

/** Builds team specs from YAML written the way users write them. */
final class Teams {
    private Teams() {
    }

    /** The spec of a one-team YAML document; {@code specYaml} is the body under {@code spec:}, indented by two. */
    static ArkTeamSpec spec(String specYaml) {
        TeamDocument team = document(specYaml);
        assertThat(team.readProblems()).isEmpty();
        return team.spec();
    }

    static TeamDocument document(String specYaml) {
        TeamFile file = new TeamFileLoader().load("""
                apiVersion: arkonis.dev/v1alpha1
                kind: ArkTeam
                metadata:
                  name: t
                spec:
                """ + specYaml.indent(2));
        assertThat(file.problems()).isEmpty();
        return file.teams().get(0);
    }

    static Pipeline pipeline(String specYaml) {
        try {
            return Pipeline.compile(spec(specYaml), new TeamValidator(new JsonSchemas()));
        } catch (InvalidTeamException e) {
            throw new AssertionError("team should be valid: " + e.getMessage(), e);
        }
    }
}
