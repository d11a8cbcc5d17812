package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.SecretKeySelector;

/** An HTTP header sent to an MCP server, literal or from a Secret. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.value) != has(self.secretKeyRef)",
        message = "set exactly one of value and secretKeyRef")
@ValidationRule(value = KeyRules.SECRET_KEY_REF_NO_COPY, message = KeyRules.COPY_MESSAGE)
public record McpHeader(@Required String name, String value, SecretKeySelector secretKeyRef) {
}
