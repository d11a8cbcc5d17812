package dev.arkonis.ark.flow;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/** One-line messages for malformed YAML that point at the line and column of the problem. */
final class YamlErrors {
    private YamlErrors() {
    }

    static String describe(JsonProcessingException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
                Mark mark = yaml.getProblemMark();
                String context = yaml.getContext() == null ? "" : " (" + yaml.getContext() + ")";
                return "malformed YAML at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ": "
                        + yaml.getProblem() + context;
            }
        }
        JsonLocation location = e.getLocation();
        String at = location == null || location.getLineNr() < 0 ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
        return "malformed YAML" + at + ": " + e.getOriginalMessage().lines().findFirst().orElse("");
    }
}
