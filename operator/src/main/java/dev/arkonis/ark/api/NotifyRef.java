package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** The ArkNotify (same namespace) told about a team's runs and its agents' budgets. */
public record NotifyRef(@Required @JsonPropertyDescription("ArkNotify name.") String name) {
}
