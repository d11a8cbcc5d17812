package dev.arkonis.ark.llm.mock;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arkonis.ark.api.TokenUsage;
import dev.arkonis.ark.flow.SemanticJudge;
import dev.arkonis.ark.llm.Completion;
import dev.arkonis.ark.llm.CompletionRequest;
import dev.arkonis.ark.llm.LlmException;
import dev.arkonis.ark.llm.LlmProvider;
import dev.arkonis.ark.flow.TaskTools;
import dev.arkonis.ark.llm.tools.BuiltinTools;
import dev.arkonis.ark.llm.tools.RouteTool;
import dev.arkonis.ark.llm.tools.Tool;
import dev.arkonis.ark.llm.tools.Toolbox;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import dev.arkonis.ark.telemetry.ModelCall;
import dev.arkonis.ark.telemetry.Telemetry;

/**
 * A deterministic stand-in for a model: the same system prompt, prompt and schema always give the
 * same answer, JSON satisfying the schema when there is one. Used by {@code ark run --provider mock},
 * by tests and by benchmarks (with a latency). It has the agent's tools, as a real provider does.
 *
 * <p>Test hooks in the prompt: {@value #FAIL_MARKER} fails permanently, {@value #INVALID_MARKER}
 * answers with text that is not JSON even when a schema is given, {@value #JUDGE_FAIL_MARKER} makes a judge
 * call ({@code validate.semantic}) answer fail (it passes otherwise), and each
 * {@code [mock:tool NAME {"arg":"value"}]} calls that tool (one model turn per call, as a real tool
 * loop) and puts its answer into the output. {@code [mock:delegate ROLE TASK]} calls the built-in delegate tool the
 * same way, and a router call (offered the {@code route} tool) chooses the capability {@code [mock:route ID]} names,
 * else the one whose id, description and tags share most words with the task, else none.
 */
public final class MockProvider implements LlmProvider, AutoCloseable {
    public static final String FAIL_MARKER = "[mock:fail]";
    public static final String INVALID_MARKER = "[mock:invalid]";
    public static final String JUDGE_FAIL_MARKER = "[mock:judge-fail]";
    public static final MockProvider INSTANCE = new MockProvider(Duration.ZERO);

    private static final int PROMPT_ECHO_CHARS = 60;
    /** The model name the mock reports in traces and metrics. */
    private static final String MODEL = "mock";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Duration latency;
    private final Toolbox toolbox;
    private final int maxToolTurns;
    private final Telemetry telemetry;

    public MockProvider(Duration latency) {
        this(latency, Toolbox.empty(), Integer.MAX_VALUE);
    }

    public MockProvider(Duration latency, Telemetry telemetry) {
        this(latency, Toolbox.empty(), Integer.MAX_VALUE, telemetry);
    }

    /** @param maxToolTurns model calls allowed per task, the final answer included (as for real providers) */
    public MockProvider(Duration latency, Toolbox toolbox, int maxToolTurns) {
        this(latency, toolbox, maxToolTurns, Telemetry.none());
    }

    public MockProvider(Duration latency, Toolbox toolbox, int maxToolTurns, Telemetry telemetry) {
        this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
        this.latency = Objects.requireNonNull(latency, "latency");
        this.toolbox = Objects.requireNonNull(toolbox, "toolbox");
        this.maxToolTurns = maxToolTurns;
    }

    public Toolbox toolbox() {
        return toolbox;
    }

    @Override
    public Completion complete(CompletionRequest request) throws LlmException {
        String system = request.systemPrompt() == null ? "" : request.systemPrompt();
        if (!toolbox.guidance().isEmpty()) {
            system = system.isEmpty() ? toolbox.guidance() : system + "\n\n" + toolbox.guidance();
        }
        String prompt = request.prompt() == null ? "" : request.prompt();
        ModelCall first = ModelCall.start(telemetry, "mock", MODEL, 1, request.maxTokensPerCall(), prompt);
        List<ToolMarkers.Call> toolCalls;
        try {
            if (prompt.contains(FAIL_MARKER)) {
                throw new LlmException("mock: failure requested by the prompt", true);
            }
            waitLatency();
            Optional<Tool> route = BuiltinTools.named(request.taskTools(), TaskTools.ROUTE);
            if (route.isPresent()) {
                String answer = MockRouter.answer(prompt, ((RouteTool) route.get()).capabilities());
                TokenUsage used = TokenUsage.of(tokens(system.length() + prompt.length()), tokens(answer.length()));
                first.answered(MODEL, used.inputTokens(), used.outputTokens(), List.of("tool_calls"), answer);
                first.close();
                return new Completion(answer, List.of(used));
            }
            toolCalls = ToolMarkers.in(prompt);
            if (toolCalls.size() >= maxToolTurns) {
                throw new LlmException("mock: no final answer after " + maxToolTurns
                        + " model calls (tool-loop limit reached)", true);
            }
        } catch (LlmException e) {
            first.failed(e.getMessage(), "permanent");
            first.close();
            throw e;
        }
        // every turn reads the conversation so far: the prompt, then each tool call and its result
        List<TokenUsage> calls = new ArrayList<>();
        StringBuilder conversation = new StringBuilder(system).append(prompt);
        StringBuilder toolAnswers = new StringBuilder();
        ModelCall turn = first;
        for (ToolMarkers.Call call : toolCalls) {
            TokenUsage used = TokenUsage.of(tokens(conversation.length()), tokens(call.text().length()));
            turn.answered(MODEL, used.inputTokens(), used.outputTokens(), List.of("tool_calls"), call.text());
            turn.close();
            Optional<Tool> builtin = BuiltinTools.named(request.taskTools(), call.tool());
            String result = builtin.isPresent() ? toolbox.call(builtin.get(), call.argumentsJson())
                    : toolbox.call(call.tool(), call.argumentsJson());
            calls.add(used);
            turn = ModelCall.start(telemetry, "mock", MODEL, calls.size() + 1, request.maxTokensPerCall(), null);
            conversation.append(call.text()).append(result);
            toolAnswers.append("\n\n[tool ").append(call.tool()).append("] ").append(result);
        }
        try (ModelCall last = turn) {
            String output;
            try {
                output = answer(system, prompt, request.outputSchema());
            } catch (LlmException e) {
                last.failed(e.getMessage(), "permanent");
                throw e;
            }
            if (request.outputSchema() == null || request.outputSchema().isBlank() || prompt.contains(INVALID_MARKER)) {
                output += toolAnswers;
            }
            TokenUsage used = TokenUsage.of(tokens(conversation.length()), tokens(output.length()));
            last.answered(MODEL, used.inputTokens(), used.outputTokens(), List.of("stop"), output);
            calls.add(used);
            return new Completion(output, calls);
        }
    }

    @Override
    public void close() {
        toolbox.close();
    }

    private String answer(String system, String prompt, String schema) throws LlmException {
        if (schema == null || schema.isBlank() || prompt.contains(INVALID_MARKER)) {
            return text(prompt);
        }
        if (schema.equals(SemanticJudge.VERDICT_SCHEMA)) {
            // a judge call: the verdict is decided by a marker in the criterion or in the answer under judgment
            boolean fail = prompt.contains(JUDGE_FAIL_MARKER);
            return "{\"pass\":" + !fail + ",\"reason\":\"" + (fail ? "mock judge: failure requested by "
                    + JUDGE_FAIL_MARKER : "mock judge: the answer satisfies the criterion") + "\"}";
        }
        JsonNode schemaNode;
        try {
            schemaNode = JSON.readTree(schema);
        } catch (JsonProcessingException e) {
            throw new LlmException("mock: output schema is not valid JSON: " + e.getOriginalMessage(), true);
        }
        try {
            JsonNode value = new SchemaSampler(schemaNode, seed(system, prompt, schema)).sample();
            return JSON.writeValueAsString(value);
        } catch (IllegalArgumentException | JsonProcessingException e) {
            throw new LlmException("mock: cannot answer the output schema: " + e.getMessage(), true);
        }
    }

    /** A short answer that shows which prompt it answers; whitespace collapsed so it stays on one line. */
    static String text(String prompt) {
        String flat = prompt.strip().replaceAll("\\s+", " ");
        int end = flat.offsetByCodePoints(0, Math.min(PROMPT_ECHO_CHARS, flat.codePointCount(0, flat.length())));
        return "mock answer to: " + flat.substring(0, end);
    }

    /** Rough count used by real tokenizers for English: one token per four characters, at least one. */
    static long tokens(int chars) {
        return Math.max(1, (chars + 3) / 4);
    }

    private static long seed(String system, String prompt, String schema) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {system, prompt, schema}) {
                sha.update(part.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return ByteBuffer.wrap(sha.digest()).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }

    private void waitLatency() throws LlmException {
        if (latency.isZero() || latency.isNegative()) {
            return;
        }
        try {
            Thread.sleep(latency.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LlmException("mock: interrupted", false, e);
        }
    }
}
