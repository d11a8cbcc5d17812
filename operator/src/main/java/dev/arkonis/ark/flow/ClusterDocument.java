package dev.arkonis.ark.flow;

import com.fasterxml.jackson.databind.JsonNode;

/** An ArkEvent or ArkNotify read from a team file: cluster features that {@code ark validate} checks and {@code ark run} leaves alone. */
public record ClusterDocument(String kind, String name, int index, JsonNode spec) {
    public static final String EVENT = "ArkEvent";
    public static final String NOTIFY = "ArkNotify";
}
