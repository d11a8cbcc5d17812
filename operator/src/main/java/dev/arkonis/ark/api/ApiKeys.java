package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * A namespace's own provider keys. Agents that name them get none of the organisation's keys: their pods read
 * {@code OPENAI_API_KEY}, {@code OPENAI_BASE_URL}, {@code ANTHROPIC_API_KEY}, {@code ANTHROPIC_BASE_URL} from this
 * Secret (those it has), and the role's own env may set them too.
 */
@ValidationRule(value = KeyRules.SECRET_REF_NO_COPY, message = KeyRules.COPY_MESSAGE)
public record ApiKeys(
        @Required @JsonPropertyDescription("Secret of this namespace with OPENAI_API_KEY, OPENAI_BASE_URL, "
                + "ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL (any of them); used instead of the organisation's keys.")
        NamedSecret secretRef) {
}
