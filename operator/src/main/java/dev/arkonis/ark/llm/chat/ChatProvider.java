package dev.arkonis.ark.llm.chat;

import dev.arkonis.ark.api.TokenUsage;
import dev.arkonis.ark.llm.Completion;
import dev.arkonis.ark.llm.CompletionRequest;
import dev.arkonis.ark.llm.LlmException;
import dev.arkonis.ark.llm.LlmProvider;
import dev.arkonis.ark.llm.RetryListener;
import dev.arkonis.ark.llm.tools.BuiltinTools;
import dev.arkonis.ark.llm.tools.Tool;
import dev.arkonis.ark.llm.tools.Toolbox;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import dev.arkonis.ark.telemetry.ModelCall;
import dev.arkonis.ark.telemetry.Telemetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real model behind LangChain4j (OpenAI, OpenAI-compatible or Anthropic) with the agent's tools:
 * it calls the model, runs the tools the model asks for, feeds their results back and repeats until
 * the model answers, at most {@link ChatSettings#maxToolTurns()} calls per task.
 */
public final class ChatProvider implements LlmProvider, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("llm");

    private final ChatApi api;
    private final String model;
    private final Toolbox toolbox;
    private final ChatSettings settings;
    private final HttpClient http;
    private final ProviderErrors errors;
    private final Clock clock = Clock.systemUTC();
    private final Telemetry telemetry;

    /** @param model the model used when a request names none, and the one {@link #verify()} checks */
    public ChatProvider(ChatApi api, String model, Toolbox toolbox, ChatSettings settings) {
        this(api, model, toolbox, settings, Telemetry.none());
    }

    public ChatProvider(ChatApi api, String model, Toolbox toolbox, ChatSettings settings, Telemetry telemetry) {
        this.telemetry = telemetry;
        this.api = api;
        this.model = model;
        this.toolbox = toolbox;
        this.settings = settings;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        this.errors = new ProviderErrors(api.name());
    }

    public String providerName() {
        return api.name();
    }

    public Toolbox toolbox() {
        return toolbox;
    }

    @Override
    public void verify() throws LlmException {
        Instant deadline = clock.instant().plus(settings.verifyTimeout());
        RetryingHttpClient client = new RetryingHttpClient(http, settings.retry(), deadline,
                settings.attemptTimeout(), clock, api.name(), RetryListener.LOG);
        try {
            client.execute(api.modelLookup(model));
        } catch (RuntimeException e) {
            throw errors.translate(e, model);
        }
    }

    @Override
    public Completion complete(CompletionRequest request) throws LlmException {
        String modelName = request.model() == null || request.model().isBlank() ? model : request.model();
        Instant deadline = request.deadline() != null ? request.deadline()
                : clock.instant().plus(settings.retry().noDeadlineBudget());
        AtomicReference<ModelCall> current = new AtomicReference<>();
        RetryListener retries = notice -> {
            ModelCall call = current.get();
            if (call != null) {
                call.retried();
            }
            request.retries().retrying(notice);
        };
        ChatModel chat = api.chatModel(modelName,
                new RetryingHttpClientBuilder(http, settings.retry(), deadline, clock, api.name(), retries));
        List<ChatMessage> messages = new ArrayList<>();
        String system = SystemPrompt.of(request.systemPrompt(), toolbox.guidance(), request.outputSchema());
        if (!system.isEmpty()) {
            messages.add(SystemMessage.from(system));
        }
        messages.add(UserMessage.from(request.prompt()));
        List<TokenUsage> calls = new ArrayList<>();
        // read per request: an MCP server may have changed its tools since the last one
        List<ToolSpecification> specs = new ArrayList<>(toolbox.tools().stream().map(ToolSpecs::of).toList());
        request.taskTools().forEach(tool -> specs.add(ToolSpecs.of(tool)));
        for (int turn = 1; turn <= settings.maxToolTurns(); turn++) {
            if (!clock.instant().isBefore(deadline)) {
                throw new LlmException(api.name() + ": deadline exceeded after " + (turn - 1) + " model calls", false);
            }
            ChatResponse response;
            try (ModelCall traced = ModelCall.start(telemetry, api.name(), modelName, turn, request.maxTokensPerCall(),
                    turn == 1 ? request.prompt() : null)) {
                current.set(traced);
                try {
                    response = call(chat, messages, specs, request, modelName);
                } catch (LlmException e) {
                    traced.failed(e.getMessage(), e.isPermanent() ? "permanent" : "transient");
                    throw e;
                }
                TokenUsage used = usage(response);
                traced.answered(response.metadata() == null ? null : response.metadata().modelName(),
                        used.inputTokens(), used.outputTokens(), finishReasons(response), response.aiMessage().text());
            } finally {
                current.set(null);
            }
            calls.add(usage(response));
            AiMessage answer = response.aiMessage();
            if (!answer.hasToolExecutionRequests()) {
                return new Completion(answer.text() == null ? "" : answer.text(), calls);
            }
            messages.add(answer);
            for (ToolExecutionRequest toolCall : answer.toolExecutionRequests()) {
                LOG.debug("tool call {} (turn {})", toolCall.name(), turn);
                Optional<Tool> builtin = BuiltinTools.named(request.taskTools(), toolCall.name());
                if (builtin.isPresent() && builtin.get().endsTask()) {
                    return new Completion(toolCall.arguments() == null ? "{}" : toolCall.arguments(), calls);
                }
                messages.add(ToolExecutionResultMessage.from(toolCall, builtin.isPresent()
                        ? toolbox.call(builtin.get(), toolCall.arguments())
                        : toolbox.call(toolCall.name(), toolCall.arguments())));
            }
        }
        throw new LlmException(api.name() + ": no final answer after " + settings.maxToolTurns()
                + " model calls (tool-loop limit reached)", true);
    }

    private ChatResponse call(ChatModel chat, List<ChatMessage> messages, List<ToolSpecification> specs,
                              CompletionRequest task, String modelName) throws LlmException {
        ChatRequest.Builder request = ChatRequest.builder().messages(messages);
        if (!specs.isEmpty()) {
            request.toolSpecifications(specs);
        }
        if (task.maxTokensPerCall() > 0) {
            request.maxOutputTokens(task.maxTokensPerCall());
        }
        Double temperature = task.temperature() != null ? task.temperature() : settings.temperature();
        if (temperature != null) {
            request.temperature(temperature);
        }
        try {
            return chat.chat(request.build());
        } catch (RuntimeException e) {
            throw errors.translate(e, modelName);
        }
    }

    private static List<String> finishReasons(ChatResponse response) {
        return response.finishReason() == null ? List.of()
                : List.of(response.finishReason().name().toLowerCase(java.util.Locale.ROOT));
    }

    private static TokenUsage usage(ChatResponse response) {
        dev.langchain4j.model.output.TokenUsage u = response.tokenUsage();
        if (u == null) {
            return TokenUsage.ZERO;
        }
        return TokenUsage.of(u.inputTokenCount() == null ? 0 : u.inputTokenCount(),
                u.outputTokenCount() == null ? 0 : u.outputTokenCount());
    }

    @Override
    public void close() {
        toolbox.close();
    }
}
