package dev.arkonis.ark.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** What the commands that start a run in the cluster take besides the team: its input, and whether to follow it. */
final class RunStartOptions {
    @Option(names = "--input", paramLabel = "<json>|<key=value>",
            description = "Run input: a JSON object, or key=value (repeatable), as ark run takes it.")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--watch", description = "Follow the run live to its end, as ark run --watch does.")
    boolean watch;

    @Option(names = "--timeout", converter = DurationConverter.Timeout.class, paramLabel = "<duration>",
            description = "With --watch: stop watching after this long (default 1h).")
    Duration watchTimeout = Duration.ofHours(1);
}
