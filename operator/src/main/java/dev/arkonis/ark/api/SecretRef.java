package dev.arkonis.ark.api;

import io.fabric8.generator.annotation.Required;

/** One key of a Secret in the same namespace. */
public record SecretRef(@Required String name, @Required String key) {
}
