package dev.arkonis.ark.llm.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arkonis.ark.api.Capability;
import dev.arkonis.ark.flow.TaskTools;
import dev.arkonis.ark.llm.Completion;
import dev.arkonis.ark.llm.CompletionRequest;
import dev.arkonis.ark.llm.OpenAiStandIn;
import dev.arkonis.ark.llm.chat.ChatProvider;
import dev.arkonis.ark.llm.chat.ChatSettings;
import dev.arkonis.ark.llm.chat.OpenAiApi;
import dev.arkonis.ark.llm.mock.MockProvider;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The built-in delegate and route tools, offered to a real OpenAI-compatible server in its wire format and to the
 * mock: a delegate call waits for the delegated answer and feeds it back; a route call is the answer itself.
 */
class BuiltinToolsTest {
    private final List<String> delegated = new CopyOnWriteArrayList<>();
    private final Delegator delegator = (call, role, task) -> {
        delegated.add(call + " " + role + " " + task);
        return "answer of " + role + " to " + task;
    };

    private static CompletionRequest request(String prompt, List<Tool> tools) {
        return new CompletionRequest("gpt-4o-mini", "You coordinate.", prompt, null, 500,
                Instant.now().plusSeconds(30), null, tools, 0.3);
    }

    private static ChatProvider openAi(OpenAiStandIn server) {
        return new ChatProvider(new OpenAiApi(server.baseUrl(), "sk-test"), "gpt-4o-mini", Toolbox.empty(),
                ChatSettings.DEFAULT);
    }

    @Test
    void aDelegateCallOverOpenAisWireWaitsForTheDelegatedAnswerAndFeedsItBack() throws Exception {
        try (OpenAiStandIn server = new OpenAiStandIn(r -> r.toolResults().isEmpty()
                ? OpenAiStandIn.Answer.call("delegate", OpenAiStandIn.args().put("role", "billing").put("task", "refund it"))
                : OpenAiStandIn.Answer.text("Done: " + r.toolResults().get(0)))) {
            Completion done = openAi(server).complete(request("A double charge",
                    BuiltinTools.of(TaskTools.delegating(List.of("billing", "technical")), delegator)));
            assertThat(done.text()).isEqualTo("Done: answer of billing to refund it");
            assertThat(delegated).containsExactly("1 billing refund it");
            assertThat(done.calls()).hasSize(2);
            JsonNode offered = server.received().get(0).tool("delegate").orElseThrow();
            assertThat(offered.path("parameters").path("properties").path("role").path("enum").toString())
                    .isEqualTo("[\"billing\",\"technical\"]");
            assertThat(offered.path("parameters").path("required").toString()).isEqualTo("[\"role\",\"task\"]");
            assertThat(server.received().get(0).body().path("temperature").asDouble()).isEqualTo(0.3);
        }
    }

    @Test
    void theOriginalsSubmitSubtaskNameIsAnAliasOfDelegate() throws Exception {
        try (OpenAiStandIn server = new OpenAiStandIn(r -> r.toolResults().isEmpty()
                ? OpenAiStandIn.Answer.call("submit_subtask", OpenAiStandIn.args().put("prompt", "summarise"))
                : OpenAiStandIn.Answer.text(r.toolResults().get(0)))) {
            Completion done = openAi(server).complete(request("x",
                    BuiltinTools.of(TaskTools.delegating(List.of("writer")), delegator)));
            assertThat(done.text()).isEqualTo("answer of writer to summarise");
            assertThat(server.received().get(0).tool("submit_subtask")).as("offered under its own name only").isEmpty();
        }
    }

    @Test
    void aRouteCallIsTheRoutersAnswerAndEndsTheTask() throws Exception {
        List<Capability> offered = List.of(new Capability("database-query", "Slow SQL", List.of("sql")),
                new Capability("frontend-debug", "Broken pages", null));
        try (OpenAiStandIn server = new OpenAiStandIn(r -> OpenAiStandIn.Answer.call("route",
                OpenAiStandIn.args().put("capability", "database-query").put("reason", "an SQL question")))) {
            Completion routed = openAi(server).complete(request("Slow query", BuiltinTools.of(TaskTools.routing(offered),
                    delegator)));
            assertThat(routed.text()).isEqualTo("{\"capability\":\"database-query\",\"reason\":\"an SQL question\"}");
            assertThat(server.received()).hasSize(1);
            JsonNode capability = server.received().get(0).tool("route").orElseThrow().path("parameters")
                    .path("properties").path("capability");
            assertThat(capability.path("enum").toString()).isEqualTo("[\"database-query\",\"frontend-debug\"]");
            assertThat(capability.path("description").asText()).contains("database-query: Slow SQL", "frontend-debug: Broken pages");
        }
    }

    @Test
    void theMockDelegatesAndRoutesAsItsMarkersSay() throws Exception {
        MockProvider mock = new MockProvider(Duration.ZERO);
        Completion delegating = mock.complete(request("Help [mock:delegate billing refund the charge] and "
                + "[mock:delegate technical reset the password]", BuiltinTools.of(
                TaskTools.delegating(List.of("billing", "technical")), delegator)));
        assertThat(delegated).containsExactly("1 billing refund the charge", "2 technical reset the password");
        assertThat(delegating.text()).endsWith("[tool delegate] answer of billing to refund the charge\n\n"
                + "[tool delegate] answer of technical to reset the password");
        assertThat(delegating.calls()).hasSize(3);

        List<Capability> offered = List.of(new Capability("database-query", "Slow SQL queries and indexes", List.of("sql")),
                new Capability("frontend-debug", "Pages that render wrong in a browser", null));
        assertThat(mock.complete(request("Task:\nIt is slow [mock:route frontend-debug]\n\nCapabilities:\n",
                BuiltinTools.of(TaskTools.routing(offered), delegator))).text())
                .isEqualTo("{\"capability\":\"frontend-debug\",\"reason\":\"mock: the task asked for frontend-debug\"}");
        assertThat(mock.complete(request("Task:\nOur SQL queries are slow\n\nCapabilities:\n- database-query",
                BuiltinTools.of(TaskTools.routing(offered), delegator))).text())
                .isEqualTo("{\"capability\":\"database-query\",\"reason\":\"mock: 2 word(s) of the task match database-query\"}");
        assertThat(mock.complete(request("Task:\nPlan the offsite\n\nCapabilities:\n",
                BuiltinTools.of(TaskTools.routing(offered), delegator))).text())
                .isEqualTo("mock router: no capability fits this task");
    }
}
