package dev.arkonis.ark.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The merge patch a status write sends: only what changed, so a run's team snapshot goes to the API server once. */
class MergePatchTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text.replace('\'', '"'));
    }

    @Test
    void onlyWhatChangedIsSentAndWhatWasRemovedIsNull() throws Exception {
        JsonNode before = json("""
                {'phase': 'Running', 'teamSpec': {'roles': [{'name': 'w'}], 'pipeline': [{'role': 'w'}]},
                 'steps': [{'name': 's0', 'phase': 'Running'}], 'message': 'waiting', 'output': null,
                 'totalTokenUsage': {'inputTokens': 1, 'outputTokens': 2}}""");
        JsonNode after = json("""
                {'phase': 'Succeeded', 'teamSpec': {'roles': [{'name': 'w'}], 'pipeline': [{'role': 'w'}]},
                 'steps': [{'name': 's0', 'phase': 'Succeeded', 'output': 'done', 'message': null}], 'output': 'done',
                 'totalTokenUsage': {'inputTokens': 1, 'outputTokens': 5}}""");

        assertThat(MergePatch.between(before, after)).isEqualTo(json("""
                {'phase': 'Succeeded', 'steps': [{'name': 's0', 'phase': 'Succeeded', 'output': 'done'}],
                 'message': null, 'output': 'done', 'totalTokenUsage': {'outputTokens': 5}}"""));
    }

    @Test
    void theFirstWriteSendsEverythingAndAnUnchangedStatusNothing() throws Exception {
        JsonNode status = json("{'phase': 'Running', 'teamSpec': {'roles': [{'name': 'w'}]}, 'reason': null}");
        assertThat(MergePatch.between(null, status)).isEqualTo(json("{'phase': 'Running', 'teamSpec': {'roles': [{'name': 'w'}]}}"));
        assertThat(MergePatch.between(status, status)).isEmpty();
    }
}
