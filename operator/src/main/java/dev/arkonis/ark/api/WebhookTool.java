package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;

/** An inline HTTP tool: the model's arguments are sent to the URL, the response body is the tool result. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WebhookTool(
        @Required String name,
        String description,
        @Required String url,
        @Default("POST") HttpMethod method,
        @JsonPropertyDescription("JSON Schema of the tool's arguments, as a string.") String inputSchema) {

    public enum HttpMethod { GET, POST, PUT, PATCH }

    public HttpMethod effectiveMethod() {
        return method == null ? HttpMethod.POST : method;
    }
}
