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

    /** {@code ark status <run> -n <ns>} with this environment (e.g. TASK_QUEUE_URL). */
    public static String show(MockCluster cluster, String namespace, String run, Map<String, String> env) {
        StringWriter out = new StringWriter();
        new CommandLine(new StatusCommand(cluster.server::createClient, env)).setOut(new PrintWriter(out))
                .execute(run, "-n", namespace);
        return out.toString();
    }

    public static String list(MockCluster cluster, String namespace) {
        StringWriter out = new StringWriter();
        new CommandLine(new StatusCommand(cluster.server::createClient, Map.of())).setOut(new PrintWriter(out))
                .execute("-n", namespace);
        return out.toString();
    }
}
