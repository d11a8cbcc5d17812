package dev.arkonis.ark.api;

import io.fabric8.generator.annotation.Required;

public record RegistryRef(@Required String name) {
}
