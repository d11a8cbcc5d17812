package dev.arkonis.ark.llm.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arkonis.ark.api.WebhookTool;
import dev.arkonis.ark.llm.LlmException;
import java.util.List;
import okhttp3.OkHttpClient;

/** Reads the inline HTTP tools of {@code AGENT_WEBHOOK_TOOLS} (a JSON array of {@link WebhookTool}). */
public final class HttpTools {
    /** Bytes of one tool response handed to the model unless {@code AGENT_TOOL_MAX_RESPONSE_BYTES} says otherwise. */
    public static final int DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private HttpTools() {
    }

    /** @param http a guarded client ({@link dev.arkonis.ark.egress.GuardedHttp}) */
    public static List<Tool> parse(String json, OkHttpClient http, int maxResponseBytes) throws LlmException {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        List<WebhookTool> specs;
        try {
            specs = JSON.readValue(json, new TypeReference<List<WebhookTool>>() { });
        } catch (JsonProcessingException e) {
            throw new LlmException("AGENT_WEBHOOK_TOOLS is not a JSON array of tools: " + e.getOriginalMessage(), true);
        }
        return specs.stream().<Tool>map(spec -> new HttpTool(spec, http, maxResponseBytes)).toList();
    }
}
