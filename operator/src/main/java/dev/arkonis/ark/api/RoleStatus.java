package dev.arkonis.ark.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A team role as it runs: its ArkAgent, queue key and ready pods. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RoleStatus(String name, String agent, String queue, Integer readyReplicas) {
}
