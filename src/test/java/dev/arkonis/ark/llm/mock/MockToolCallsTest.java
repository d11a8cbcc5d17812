package dev.arkonis.ark.llm.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arkonis.ark.api.TokenUsage;
import dev.arkonis.ark.llm.Completion;
import dev.arkonis.ark.llm.CompletionRequest;
import dev.arkonis.ark.llm.LlmException;
import dev.arkonis.ark.llm.tools.Tool;
import dev.arkonis.ark.llm.tools.ToolException;
import dev.arkonis.ark.llm.tools.Toolbox;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The mock calls the tools its prompt asks for, one model turn per call, and answers with what they returned. */
class MockToolCallsTest {
    private final List<String> received = new CopyOnWriteArrayList<>();

    private Tool tool(String name, String answer) {
        return new Tool() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String description() {
                return "test tool " + name;
            }

            @Override
            public String parametersSchema() {
                return "{\"type\":\"object\"}";
            }

            @Override
            public String call(String argumentsJson) throws ToolException {
                received.add(name + " " + argumentsJson);
                if (answer == null) {
                    throw new ToolException(name + " is down");
                }
                return answer;
            }
        };
    }

    private MockProvider mock(int maxToolTurns) {
        return new MockProvider(Duration.ZERO, new Toolbox(List.of(tool("web-search", "whales are mammals"),
                tool("broken", null)), "Search before answering.", List.of()), maxToolTurns);
    }

    private static CompletionRequest request(String prompt, String schema) {
        return new CompletionRequest("mock", "be brief", prompt, schema, 8000, null);
    }

    @Test
    void aMarkerCallsTheToolWithItsArgumentsAndTheAnswerCarriesTheResult() throws LlmException {
        String prompt = "Research whales. [mock:tool web-search {\"q\":\"whales [and] dolphins\",\"n\":{\"max\":3}}]";
        Completion c = mock(10).complete(request(prompt, null));

        assertThat(received).containsExactly("web-search {\"q\":\"whales [and] dolphins\",\"n\":{\"max\":3}}");
        assertThat(c.text()).startsWith("mock answer to: Research whales.")
                .endsWith("\n\n[tool web-search] whales are mammals");
        // two model calls: the one that asked for the tool, and the final answer that read its result
        assertThat(c.calls()).hasSize(2);
        long system = "be brief".length() + 2 + "Search before answering.".length();
        assertThat(c.calls().get(0)).isEqualTo(TokenUsage.of(MockProvider.tokens((int) system + prompt.length()),
                MockProvider.tokens(prompt.length() - prompt.indexOf("[mock:tool"))));
        assertThat(c.calls().get(1).inputTokens()).isGreaterThan(c.calls().get(0).inputTokens());
        assertThat(c.usage().totalTokens()).isEqualTo(c.calls().stream().mapToLong(TokenUsage::totalTokens).sum());
    }

    @Test
    void callsHappenInOrderWithoutArgumentsTooAndFailuresReachTheAnswer() throws LlmException {
        Completion c = mock(10).complete(request("[mock:tool broken] then [mock:tool web-search] then "
                + "[mock:tool nope {\"x\":1}]", null));

        assertThat(received).containsExactly("broken {}", "web-search {}");
        assertThat(c.text()).contains("[tool broken] error: broken is down")
                .contains("[tool web-search] whales are mammals")
                .contains("[tool nope] error: unknown tool 'nope'; available tools: web-search, broken");
        assertThat(c.calls()).hasSize(4);
    }

    @Test
    void theSameRequestGivesTheSameAnswerAndTokens() throws LlmException {
        String prompt = "[mock:tool web-search {\"q\":\"x\"}]";
        assertThat(mock(10).complete(request(prompt, null))).isEqualTo(mock(10).complete(request(prompt, null)));
    }

    @Test
    void withASchemaTheToolIsStillCalledAndTheAnswerStaysValidJson() throws LlmException {
        Completion c = mock(10).complete(request("[mock:tool web-search {\"q\":\"x\"}]",
                "{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\"}},\"required\":[\"n\"]}"));

        assertThat(received).hasSize(1);
        assertThat(c.text()).startsWith("{\"n\":").endsWith("}");
        assertThat(c.calls()).hasSize(2);
    }

    @Test
    void moreToolCallsThanTheTurnLimitFailAsARealToolLoopDoes() {
        assertThatThrownBy(() -> mock(2).complete(request("[mock:tool web-search] [mock:tool web-search]", null)))
                .isInstanceOf(LlmException.class)
                .hasMessage("mock: no final answer after 2 model calls (tool-loop limit reached)");
        assertThat(received).isEmpty();
    }

    @Test
    void aMalformedMarkerIsOnlyText() throws LlmException {
        Completion c = mock(10).complete(request("[mock:tool ] [mock:tool web-search {\"q\":", null));
        assertThat(received).isEmpty();
        assertThat(c.calls()).hasSize(1);
    }
}
