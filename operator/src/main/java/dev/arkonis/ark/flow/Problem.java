package dev.arkonis.ark.flow;

/** Something wrong (or worth a warning) in a team file, at a field path such as {@code spec.pipeline[2].dependsOn[0]}. */
public record Problem(String path, String message) {
    @Override
    public String toString() {
        return path == null || path.isEmpty() ? message : path + ": " + message;
    }
}
