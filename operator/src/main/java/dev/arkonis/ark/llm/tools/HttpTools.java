package dev.arkonis.ark.llm.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arkonis.ark.api.WebhookTool;
import dev.arkonis.ark.llm.LlmException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;

/** Reads the inline HTTP tools of {@code AGENT_WEBHOOK_TOOLS} (a JSON array of {@link WebhookTool}). */
public final class HttpTools {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private HttpTools() {
    }

    public static List<Tool> parse(String json, HttpClient http, Duration timeout) throws LlmException {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        List<WebhookTool> specs;
        try {
            specs = JSON.readValue(json, new TypeReference<List<WebhookTool>>() { });
        } catch (JsonProcessingException e) {
            throw new LlmException("AGENT_WEBHOOK_TOOLS is not a JSON array of tools: " + e.getOriginalMessage(), true);
        }
        return specs.stream().<Tool>map(spec -> new HttpTool(spec, http, timeout)).toList();
    }
}
