package dev.arkonis.ark.cluster;

/** Teams the real-cluster tests apply, written as users write them (the mock provider answers). */
final class ClusterTeams {
    /**
     * An output schema, escaped for a double-quoted YAML string, that asks for a text of at least {@code chars}
     * characters (the mock provider writes one): an output longer than a status keeps of one.
     */
    static String longTextSchema(int chars) {
        return "{\\\"type\\\":\\\"object\\\",\\\"required\\\":[\\\"text\\\"],\\\"properties\\\":{\\\"text\\\":"
                + "{\\\"type\\\":\\\"string\\\",\\\"minLength\\\":" + chars + "}}}";
    }

    static final String LINEAR = """
            apiVersion: arkonis.dev/v1alpha1
            kind: ArkTeam
            metadata: {name: writers}
            spec:
              inputs: [{name: topic, required: true}]
              roles:
                - {name: researcher, model: m, provider: mock}
                - {name: writer, model: m, provider: mock}
              pipeline:
                - role: researcher
                  inputs: {prompt: "Research {{ .input.topic }}"}
                - role: writer
                  dependsOn: [researcher]
                  inputs: {prompt: "Write from {{ .steps.researcher.output }}"}
              output: "final: {{ .steps.writer.output }}"
            """;

    /** Three roles in a line, for the trace of a run through operator and agents (HelmValuesIT). */
    static final String THREE_STEPS = """
            apiVersion: arkonis.dev/v1alpha1
            kind: ArkTeam
            metadata: {name: trio}
            spec:
              inputs: [{name: topic, required: true}]
              roles:
                - {name: researcher, model: m, provider: mock}
                - {name: writer, model: m, provider: mock}
                - {name: editor, model: m, provider: mock}
              pipeline:
                - {role: researcher, inputs: {prompt: "Research {{ .input.topic }}"}}
                - {role: writer, dependsOn: [researcher], inputs: {prompt: "Write from {{ .steps.researcher.output }}"}}
                - {role: editor, dependsOn: [writer], inputs: {prompt: "Edit {{ .steps.writer.output }}"}}
              output: "{{ .steps.editor.output }}"
            """;

    private ClusterTeams() {
    }
}
