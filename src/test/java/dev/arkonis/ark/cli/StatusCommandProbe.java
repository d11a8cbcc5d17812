package dev.arkonis.ark.cli;

import dev.arkonis.ark.operator.MockCluster;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import picocli.CommandLine;

/** Runs {@code ark status -n <ns>} against a mock cluster for tests outside this package. */
public final class StatusCommandProbe {
    private StatusCommandProbe() {
    }

    public static String list(MockCluster cluster, String namespace) {
        StringWriter out = new StringWriter();
        new CommandLine(new StatusCommand(cluster.server::createClient, Map.of())).setOut(new PrintWriter(out))
                .execute("-n", namespace);
        return out.toString();
    }
}
