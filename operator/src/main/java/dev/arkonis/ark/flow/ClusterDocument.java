package dev.arkonis.ark.flow;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An ArkEvent, ArkNotify or ArkModel read from a team file: {@code ark validate} checks them all; {@code ark run} uses
 * the ArkModels and leaves the cluster features (events, notifications) alone.
 */
public record ClusterDocument(String kind, String name, int index, JsonNode spec) {
    public static final String EVENT = "ArkEvent";
    public static final String NOTIFY = "ArkNotify";
    public static final String MODEL = "ArkModel";

    /** Whether only the operator acts on it. */
    public boolean isClusterFeature() {
        return !MODEL.equals(kind);
    }
}
