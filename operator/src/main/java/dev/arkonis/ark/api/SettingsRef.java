package dev.arkonis.ark.api;

import io.fabric8.generator.annotation.Required;

/** An ArkSettings of the same namespace. */
public record SettingsRef(@Required String name) {
}
