package dev.arkonis.ark.llm.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.arkonis.ark.api.TokenUsage;
import dev.arkonis.ark.llm.Completion;
import dev.arkonis.ark.llm.CompletionRequest;
import dev.arkonis.ark.llm.LlmException;
import dev.arkonis.ark.llm.RetryNotice;
import dev.arkonis.ark.llm.StubHttpServer;
import dev.arkonis.ark.llm.StubHttpServer.Received;
import dev.arkonis.ark.llm.StubHttpServer.Reply;
import dev.arkonis.ark.llm.tools.Tool;
import dev.arkonis.ark.llm.tools.ToolException;
import dev.arkonis.ark.llm.tools.Toolbox;
import dev.arkonis.ark.telemetry.OtlpReceiver;
import dev.arkonis.ark.telemetry.Telemetry;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every real provider must do, checked against a local server speaking the provider's wire format. */
abstract class ProviderContractTest {
    static final String KEY = "sk-test-secret-key-123";
    static final RetryPolicy FAST = new RetryPolicy(Duration.ofMillis(20), Duration.ofMillis(100), 5, Duration.ofSeconds(30));

    StubHttpServer server;
    final List<String> toolArguments = new CopyOnWriteArrayList<>();

    abstract String model();

    abstract ChatApi api(String serverUrl);

    /** Path prefix of the API on the stub (e.g. "/v1"). */
    abstract String apiRoot();

    abstract String chatPath();

    abstract String textReply(String text, int in, int out);

    abstract String toolCallReply(String id, String tool, String argumentsJson, int in, int out);

    /** The request body carries the result of the tool call {@code id}. */
    abstract void assertCarriesToolResult(String requestBody, String id, String result);

    abstract void assertAuthenticated(Received request);

    abstract String errorBody(String type, String message);

    /** Where the start-up check looks the model up. */
    String modelLookupPath() {
        return "/v1/models/" + model();
    }

    @BeforeEach
    void start() throws IOException {
        server = new StubHttpServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    ChatProvider provider(RetryPolicy retry, Tool... tools) {
        Toolbox toolbox = new Toolbox(List.of(tools), "", List.of());
        return new ChatProvider(api(server.url() + apiRoot()), model(), toolbox,
                ChatSettings.DEFAULT.withRetry(retry).withMaxToolTurns(3));
    }

    CompletionRequest request(String prompt) {
        return new CompletionRequest(model(), "You are terse.", prompt, null, 321, Instant.now().plusSeconds(20));
    }

    Tool weatherTool() {
        return new Tool() {
            public String name() {
                return "weather";
            }

            public String description() {
                return "Current weather of a city";
            }

            public String parametersSchema() {
                return "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}";
            }

            public String call(String argumentsJson) throws ToolException {
                toolArguments.add(argumentsJson);
                if (argumentsJson.contains("Atlantis")) {
                    throw new ToolException("no such city: Atlantis");
                }
                return "sunny in Paris";
            }
        };
    }

    @Test
    void plainTextAnswerWithUsage() throws LlmException {
        server.reply(Reply.json(textReply("Hello there", 12, 3)));

        Completion c = provider(FAST).complete(request("Say hello"));

        assertThat(c.text()).isEqualTo("Hello there");
        assertThat(c.calls()).containsExactly(TokenUsage.of(12, 3));
        Received sent = server.received().get(0);
        assertThat(sent.path()).isEqualTo(apiRoot() + chatPath());
        assertThat(sent.body()).contains(model()).contains("Say hello").contains("You are terse.").contains("321");
        assertAuthenticated(sent);
    }

    @Test
    void outputSchemaIsExplainedInTheSystemPrompt() throws LlmException {
        server.reply(Reply.json(textReply("{}", 1, 1)));

        provider(FAST).complete(new CompletionRequest(model(), "sys", "give json", "{\"type\":\"object\"}", 100, null));

        assertThat(server.received().get(0).body()).contains("JSON Schema").contains("{\\\"type\\\":\\\"object\\\"}");
    }

    @Test
    void toolCallRoundTrip() throws LlmException {
        server.reply(Reply.json(toolCallReply("call_1", "weather", "{\"city\":\"Paris\"}", 20, 5)),
                Reply.json(textReply("It is sunny.", 30, 4)));

        Completion c = provider(FAST, weatherTool()).complete(request("Weather in Paris?"));

        assertThat(c.text()).isEqualTo("It is sunny.");
        assertThat(c.calls()).containsExactly(TokenUsage.of(20, 5), TokenUsage.of(30, 4));
        assertThat(c.usage()).isEqualTo(TokenUsage.of(50, 9));
        assertThat(toolArguments).singleElement().asString().contains("Paris");
        List<Received> sent = server.received();
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0).body()).contains("weather").contains("Current weather of a city").contains("city");
        assertCarriesToolResult(sent.get(1).body(), "call_1", "sunny in Paris");
    }

    @Test
    void toolErrorGoesBackToTheModelAsText() throws LlmException {
        server.reply(Reply.json(toolCallReply("call_9", "weather", "{\"city\":\"Atlantis\"}", 1, 1)),
                Reply.json(textReply("Sorry.", 1, 1)));

        Completion c = provider(FAST, weatherTool()).complete(request("Weather in Atlantis?"));

        assertThat(c.text()).isEqualTo("Sorry.");
        assertCarriesToolResult(server.received().get(1).body(), "call_9", "error: no such city: Atlantis");
    }

    @Test
    void toolLoopIsCapped() {
        for (int i = 0; i < 5; i++) {
            server.reply(Reply.json(toolCallReply("call_" + i, "weather", "{\"city\":\"Paris\"}", 1, 1)));
        }

        LlmException e = catchThrowableOfType(LlmException.class,
                () -> provider(FAST, weatherTool()).complete(request("loop forever")));

        assertThat(e).hasMessageContaining("no final answer after 3 model calls");
        assertThat(server.received()).hasSize(3);
    }

    @Test
    void rateLimitWaitsAsLongAsRetryAfterSays() throws LlmException {
        // A backoff-based wait would be 3 s: the measured gap tells which one was used.
        RetryPolicy slowBackoff = new RetryPolicy(Duration.ofSeconds(3), Duration.ofSeconds(3), 5, Duration.ofSeconds(30));
        server.reply(new Reply(429, Map.of("Retry-After", "1", "Content-Type", "application/json"),
                        errorBody("rate_limit_error", "slow down")),
                Reply.json(textReply("finally", 1, 1)));

        Completion c = provider(slowBackoff).complete(request("hi"));

        assertThat(c.text()).isEqualTo("finally");
        List<Received> sent = server.received();
        assertThat(sent).hasSize(2);
        Duration gap = Duration.ofNanos(sent.get(1).nanoTime() - sent.get(0).nanoTime());
        assertThat(gap).isBetween(Duration.ofMillis(950), Duration.ofMillis(2500));
    }

    @Test
    void serverErrorIsRetried() throws LlmException {
        server.reply(Reply.status(500, errorBody("api_error", "boom")), Reply.json(textReply("recovered", 1, 1)));

        assertThat(provider(FAST).complete(request("hi")).text()).isEqualTo("recovered");
        assertThat(server.received()).hasSize(2);
    }

    @Test
    void unauthorisedFailsAtOncePermanentlyWithoutTheKey() {
        server.reply(Reply.status(401, errorBody("authentication_error", "invalid x-api-key " + KEY)));

        LlmException e = catchThrowableOfType(LlmException.class, () -> provider(FAST).complete(request("hi")));

        assertThat(e.isPermanent()).isTrue();
        assertThat(e.getMessage()).startsWith(api("http://unused").name() + ": authentication failed (401) from "
                + server.url() + apiRoot() + chatPath());
        assertThat(e.getMessage()).doesNotContain(KEY);
        assertThat(server.received()).hasSize(1);
    }

    @Test
    void unknownModelFailsPermanently() {
        server.reply(Reply.status(404, errorBody("not_found_error", "model: " + model())));

        LlmException e = catchThrowableOfType(LlmException.class, () -> provider(FAST).complete(request("hi")));

        assertThat(e.isPermanent()).isTrue();
        assertThat(e.getMessage()).contains("model not found").contains(model());
        assertThat(server.received()).hasSize(1);
    }

    @Test
    void badRequestCarriesTheProvidersMessage() {
        server.reply(Reply.status(400, errorBody("invalid_request_error", "max_tokens is too large")));

        LlmException e = catchThrowableOfType(LlmException.class, () -> provider(FAST).complete(request("hi")));

        assertThat(e.isPermanent()).isTrue();
        assertThat(e.getMessage()).contains("max_tokens is too large");
        assertThat(server.received()).hasSize(1);
    }

    @Test
    void retriesStopAtTheDeadline() {
        for (int i = 0; i < 50; i++) {
            server.reply(Reply.status(503, errorBody("overloaded_error", "busy")));
        }
        RetryPolicy patient = new RetryPolicy(Duration.ofMillis(100), Duration.ofMillis(100), 100, Duration.ofSeconds(30));
        Instant deadline = Instant.now().plusMillis(700);

        LlmException e = catchThrowableOfType(LlmException.class, () -> provider(patient)
                .complete(new CompletionRequest(model(), null, "hi", null, 10, deadline)));

        assertThat(e.isPermanent()).isFalse();
        assertThat(e.getMessage()).contains("503");
        assertThat(Instant.now()).isBefore(deadline.plusMillis(500));
    }

    @Test
    void verifyAcceptsAKnownModel() throws LlmException {
        server.reply(Reply.json("{\"id\":\"" + model() + "\"}"));

        provider(FAST).verify();

        Received sent = server.received().get(0);
        assertThat(sent.method()).isEqualTo("GET");
        assertThat(sent.path()).isEqualTo(modelLookupPath());
        assertAuthenticated(sent);
    }

    @Test
    void verifyReportsAnUnknownModel() {
        server.reply(Reply.status(404, errorBody("not_found_error", "no such model")));

        LlmException e = catchThrowableOfType(LlmException.class, () -> provider(FAST).verify());

        assertThat(e.getMessage()).contains("model not found").contains(model());
        assertThat(e.isPermanent()).isTrue();
    }

    @Test
    void unreachableServerIsATransientFailure() {
        ChatProvider provider = provider(FAST);
        server.close();

        LlmException e = catchThrowableOfType(LlmException.class, () -> provider
                .complete(new CompletionRequest(model(), null, "hi", null, 10, Instant.now().plusSeconds(2))));

        assertThat(e.isPermanent()).isFalse();
        assertThat(e.getMessage()).contains("connection refused");
    }

    @Test
    void modelAndToolCallsAreSpansWithTokensRetriesAndTheToolsName() throws Exception {
        server.reply(Reply.status(503, errorBody("overloaded_error", "busy")),
                Reply.json(toolCallReply("call_1", "weather", "{\"city\":\"Atlantis\"}", 20, 5)),
                Reply.json(textReply("Sorry.", 30, 4)));
        try (OtlpReceiver otlp = new OtlpReceiver()) {
            Telemetry telemetry = Telemetry.fromEnv(otlp.env("agent"), "agent");
            ChatProvider provider = new ChatProvider(api(server.url() + apiRoot()), model(),
                    new Toolbox(List.of(weatherTool()), "", List.of(), telemetry),
                    ChatSettings.DEFAULT.withRetry(FAST).withMaxToolTurns(3), telemetry);
            io.opentelemetry.api.trace.Span task = telemetry.tracer().spanBuilder("task").startSpan();
            try (io.opentelemetry.context.Scope ignored = task.makeCurrent()) {
                provider.complete(request("Weather in Atlantis?"));
            } finally {
                task.end();
            }
            telemetry.close();

            List<OtlpReceiver.Received> spans = otlp.spans();
            OtlpReceiver.Received parent = OtlpReceiver.named(spans, "task").orElseThrow();
            List<OtlpReceiver.Received> calls = OtlpReceiver.children(spans, parent);
            assertThat(calls).extracting(OtlpReceiver.Received::name)
                    .containsExactly("chat " + model(), "execute_tool weather", "chat " + model());
            assertThat(calls.get(0).attributes()).containsEntry("gen_ai.system", api("http://unused").name())
                    .containsEntry("gen_ai.request.model", model())
                    .containsEntry("gen_ai.usage.input_tokens", "20").containsEntry("gen_ai.usage.output_tokens", "5")
                    .containsEntry("ark.llm.retries", "1").containsEntry("ark.llm.turn", "1")
                    .containsEntry("gen_ai.request.max_tokens", "321")
                    .containsKey("gen_ai.response.model").containsKey("gen_ai.response.finish_reasons");
            assertThat(calls.get(2).attributes()).containsEntry("ark.llm.retries", "0").containsEntry("ark.llm.turn", "2")
                    .containsEntry("gen_ai.usage.input_tokens", "30");
            // the tool failed: the span says so, without the tool's words (they may quote a URL or a body)
            assertThat(calls.get(1).attributes()).containsEntry("gen_ai.tool.name", "weather");
            assertThat(calls.get(1).failed()).isTrue();
            assertThat(otlp.rawText()).doesNotContain("Atlantis").doesNotContain(KEY);
        }
    }

    @Test
    void everyRetryIsAnnouncedWithWhatFailedAndTheWait() throws LlmException {
        server.reply(Reply.status(503, errorBody("overloaded_error", "busy")), Reply.status(500, errorBody("api_error", "x")),
                Reply.json(textReply("third time", 1, 1)));
        List<RetryNotice> notices = new CopyOnWriteArrayList<>();

        Completion c = provider(FAST).complete(new CompletionRequest(model(), null, "hi", null, 10,
                Instant.now().plusSeconds(20), notices::add));

        assertThat(c.text()).isEqualTo("third time");
        String endpoint = server.url() + apiRoot() + chatPath();
        assertThat(notices).extracting(RetryNotice::describe).containsExactly(
                api("http://unused").name() + ": 503 service unavailable from " + endpoint + "; retrying in 0.0s (attempt 2 of 5)",
                api("http://unused").name() + ": 500 server error from " + endpoint + "; retrying in 0.0s (attempt 3 of 5)");
        assertThat(notices).extracting(RetryNotice::delay).containsExactly(FAST.backoff(1), FAST.backoff(2));
    }

    @Test
    void failuresThatCannotHealAreNotRetried() {
        for (int status : new int[] {400, 401, 403, 404, 501}) {
            server.reply(Reply.status(status, errorBody("error", "no")), Reply.json(textReply("never", 1, 1)));
            List<RetryNotice> notices = new CopyOnWriteArrayList<>();
            int before = server.received().size();

            LlmException e = catchThrowableOfType(LlmException.class, () -> provider(FAST).complete(new CompletionRequest(
                    model(), null, "hi", null, 10, Instant.now().plusSeconds(20), notices::add)));

            assertThat(e.isPermanent()).as("status %d", status).isTrue();
            assertThat(notices).as("status %d", status).isEmpty();
            assertThat(server.received()).as("status %d", status).hasSize(before + 1);
            server.close();
            try {
                server = new StubHttpServer();
            } catch (IOException io) {
                throw new IllegalStateException(io);
            }
        }
    }

    @Test
    void anUnknownHostFailsAtOnceNamingTheHostAndEndpoint() {
        ChatProvider provider = new ChatProvider(api("http://no-such-host.invalid" + apiRoot()), model(),
                new Toolbox(List.of(), "", List.of()), ChatSettings.DEFAULT.withRetry(FAST));
        List<RetryNotice> notices = new CopyOnWriteArrayList<>();
        Instant start = Instant.now();

        LlmException e = catchThrowableOfType(LlmException.class, () -> provider.complete(new CompletionRequest(model(),
                null, "hi", null, 10, Instant.now().plusSeconds(20), notices::add)));

        assertThat(e.isPermanent()).isTrue();
        assertThat(e.getMessage()).isEqualTo(api("http://unused").name() + ": cannot reach http://no-such-host.invalid"
                + apiRoot() + chatPath() + ": host no-such-host.invalid not found (DNS)");
        assertThat(notices).isEmpty();
        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aRefusedConnectionIsRetriedAnnouncedThenNamedInPlainWords() {
        ChatProvider provider = provider(FAST);
        String url = server.url();
        server.close();
        List<RetryNotice> notices = new CopyOnWriteArrayList<>();

        LlmException e = catchThrowableOfType(LlmException.class, () -> provider.complete(new CompletionRequest(model(),
                null, "hi", null, 10, Instant.now().plusSeconds(20), notices::add)));

        assertThat(e.isPermanent()).isFalse();
        assertThat(e.getMessage()).isEqualTo(api("http://unused").name() + ": cannot reach " + url + apiRoot() + chatPath()
                + ": connection refused");
        assertThat(notices).hasSize(FAST.maxAttempts() - 1).allSatisfy(n -> assertThat(n.failure()).isEqualTo("connection refused"));
    }

    @Test
    void anHtmlErrorPageReadsAsItsTitleOnOneLine() {
        server.reply(new Reply(400, Map.of("Content-Type", "text/html"),
                "<html>\n<head><title>400 Bad Request</title></head>\n<body>\n<center><h1>400 Bad Request</h1></center>\n"
                        + "<hr><center>nginx</center>\n</body>\n</html>\n"));

        LlmException e = catchThrowableOfType(LlmException.class, () -> provider(FAST).complete(request("hi")));

        assertThat(e.getMessage()).endsWith(": 400 Bad Request").doesNotContain("\n", "<", "Exception", "null");
    }

    @Test
    void aTlsFailureIsNotRetried() throws Exception {
        // a server that answers a TLS handshake with plain text: the handshake fails, and waiting would not change that
        try (java.net.ServerSocket plain = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread answering = new Thread(() -> {
                while (!plain.isClosed()) {
                    try (java.net.Socket client = plain.accept()) {
                        client.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"
                                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            answering.setDaemon(true);
            answering.start();
            String https = "https://127.0.0.1:" + plain.getLocalPort();
            ChatProvider provider = new ChatProvider(api(https + apiRoot()), model(), new Toolbox(List.of(), "", List.of()),
                    ChatSettings.DEFAULT.withRetry(FAST));
            List<RetryNotice> notices = new CopyOnWriteArrayList<>();

            LlmException e = catchThrowableOfType(LlmException.class, () -> provider.complete(new CompletionRequest(model(),
                    null, "hi", null, 10, Instant.now().plusSeconds(20), notices::add)));

            assertThat(e.getMessage()).startsWith(api("http://unused").name() + ": cannot reach " + https + apiRoot()
                    + chatPath() + ": TLS failed: ");
            assertThat(e.isPermanent()).isTrue();
            assertThat(notices).isEmpty();
        }
    }
}
