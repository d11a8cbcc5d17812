package dev.arkonis.ark.llm;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arkonis.ark.llm.StubHttpServer.Reply;
import java.io.IOException;

/**
 * A local server that answers as an OpenAI- or Anthropic-compatible provider does, to any number of requests (a
 * known model; every chat answers {@link #ANSWER}; anything else, such as an OTLP export, a bare 200), recording
 * every header of every request: where an agent sent which key.
 */
public final class ProviderStub {
    public static final String ANSWER = "answered by the stub";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ProviderStub() {
    }

    public static StubHttpServer start() throws IOException {
        return new StubHttpServer(ProviderStub::answer);
    }

    private static Reply answer(StubHttpServer.Received request) {
        String text = JSON.valueToTree(ANSWER).toString();
        if (request.path().contains("/models/")) {
            return Reply.json("{\"id\":\"" + request.path().substring(request.path().lastIndexOf('/') + 1) + "\"}");
        }
        if (request.path().endsWith("/chat/completions")) {
            return Reply.json("""
                    {"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"m",
                     "choices":[{"index":0,"message":{"role":"assistant","content":%s},"finish_reason":"stop"}],
                     "usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}""".formatted(text));
        }
        if (request.path().endsWith("/messages")) {
            return Reply.json("""
                    {"id":"msg_1","type":"message","role":"assistant","model":"m",
                     "content":[{"type":"text","text":%s}],"stop_reason":"end_turn","stop_sequence":null,
                     "usage":{"input_tokens":3,"output_tokens":2}}""".formatted(text));
        }
        return new Reply(200, java.util.Map.of(), "");
    }
}
