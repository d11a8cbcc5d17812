package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.SecretKeySelector;

/** Where a system prompt is read from: one key of a ConfigMap or of a Secret. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.configMapKeyRef) != has(self.secretKeyRef)",
        message = "set exactly one of configMapKeyRef and secretKeyRef")
@ValidationRule(value = KeyRules.SECRET_KEY_REF_NO_COPY, message = KeyRules.COPY_MESSAGE)
public record PromptRef(ConfigMapKeySelector configMapKeyRef, SecretKeySelector secretKeyRef) {
}
