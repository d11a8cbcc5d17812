package dev.arkonis.ark.cli;

import dev.arkonis.ark.queue.RedisEndpoint;
import dev.arkonis.ark.dashboard.Access;
import dev.arkonis.ark.dashboard.Dashboard;
import dev.arkonis.ark.dashboard.DashboardSettings;
import dev.arkonis.ark.dashboard.Sessions;
import dev.arkonis.ark.dashboard.SharedAccess;
import dev.arkonis.ark.dashboard.TokenAccess;
import dev.arkonis.ark.dashboard.web.WebServer;
import io.fabric8.kubernetes.api.model.authentication.SelfSubjectReview;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ark dashboard}: the web UI, against the cluster of the kubeconfig. Every API call is made with the signed-in
 * person's credentials (the kubeconfig's, or the bearer token they paste with --sign-in token), so RBAC decides what
 * is seen and done.
 */
@Command(name = "dashboard", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Serve the web UI (runs live as a graph and a timeline, teams, budgets, triggers, tokens) and print"
                + " its URL. Every call to the cluster uses the signed-in person's own rights.")
final class DashboardCommand implements Callable<Integer> {
    @Option(names = "--address", paramLabel = "<ip>", description = "Address to listen on (default 127.0.0.1: this machine only).")
    String address = "127.0.0.1";

    @Option(names = "--port", paramLabel = "<port>", description = "Port to listen on (default 8090; 0 picks a free one).")
    int port = 8090;

    @Option(names = "--sign-in", paramLabel = "code|token|none", description = "code (default): the browser signs in with"
            + " the code in the printed link and acts with the kubeconfig's credentials; token: each person signs in with"
            + " their own bearer token (in a cluster); none: no sign-in, only with --read-only.")
    String signIn = "code";

    @Option(names = "--read-only", description = "Offer no actions (retry, start a run, suspend): the credentials only read.")
    boolean readOnly;

    @Option(names = "--allowed-host", paramLabel = "<name>", description = "A host name the dashboard answers to besides"
            + " localhost and IP addresses (its Service's or Ingress' name); repeatable.")
    List<String> allowedHosts = List.of();

    @Option(names = "--certificate-authority", paramLabel = "<file>", description = "With --sign-in token: the CA that"
            + " signs the API server's certificate (in a pod without a ServiceAccount token: /etc/ark/kube-ca/ca.crt).")
    Path certificateAuthority;

    @Option(names = {"-A", "--all-namespaces"}, description = "Show every namespace at first (default: the -n or kubeconfig one).")
    boolean allNamespaces;

    @Mixin
    ClusterOptions cluster;

    @Spec
    CommandSpec spec;

    private final Map<String, String> env;

    DashboardCommand() {
        this(System.getenv());
    }

    DashboardCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DashboardSettings.SignIn mode;
        try {
            mode = DashboardSettings.SignIn.valueOf(signIn.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            err.println("error: --sign-in takes code, token or none, not '" + signIn + "'");
            return ExitCodes.INVALID;
        }
        if (mode == DashboardSettings.SignIn.NONE && !readOnly) {
            err.println("error: --sign-in none needs --read-only: without sign-in anyone who reaches the port would act"
                    + " with the dashboard's credentials");
            return ExitCodes.INVALID;
        }
        if (port < 0 || port > 65535) {
            err.println("error: --port must be 0..65535");
            return ExitCodes.INVALID;
        }
        Config config;
        try {
            config = cluster.config(env);
        } catch (ClusterOptions.NoClusterException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.INVALID;
        }
        if (certificateAuthority != null) {
            if (!Files.isReadable(certificateAuthority)) {
                err.println("error: --certificate-authority " + certificateAuthority + ": no such file");
                return ExitCodes.INVALID;
            }
            config.setCaCertFile(certificateAuthority.toString());
            config.setCaCertData(null);
        }
        Access access;
        String namespace;
        if (mode == DashboardSettings.SignIn.TOKEN) {
            access = new TokenAccess(config);
            namespace = allNamespaces ? null : cluster.namespace;
        } else {
            KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
            String user;
            try {
                user = whoAmI(client, config);
            } catch (KubernetesClientException e) {
                err.println("error: " + ClusterErrors.describe(e, String.valueOf(client.getMasterUrl()),
                        "asking the cluster who the kubeconfig's user is").message());
                client.close();
                return ExitCodes.INVALID;
            }
            access = mode == DashboardSettings.SignIn.CODE ? SharedAccess.withCode(client, user)
                    : SharedAccess.withoutSignIn(client, user);
            namespace = allNamespaces ? null : cluster.namespace(client);
        }
        DashboardSettings settings = new DashboardSettings(address, port, mode, readOnly, allowedHosts,
                DashboardSettings.SESSION_IDLE, DashboardSettings.SESSION_LIFETIME, namespace, RedisEndpoint.fromEnv(env));
        Dashboard dashboard = new Dashboard(settings, access, new Sessions(settings.sessionIdle(), settings.sessionLifetime(),
                Clock.systemUTC()));
        WebServer server = new WebServer(address, port, dashboard::handle);
        try {
            server.start();
        } catch (IOException e) {
            dashboard.close();
            server.close();
            err.println("error: cannot listen on " + address + ":" + port + ": "
                    + (e instanceof BindException || e.getCause() instanceof BindException ? "the port is in use" : e.getMessage()));
            return ExitCodes.INVALID;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            dashboard.close();
        }, "ark-dashboard-stop"));
        String host = address.contains(":") ? "[" + address + "]" : address;
        String base = "http://" + host + ":" + server.port();
        out.println("ark dashboard: " + (access instanceof SharedAccess shared && shared.code() != null
                ? base + "/sign-in#code=" + shared.code() : base + "/"));
        out.println(switch (mode) {
            case CODE -> "open it in a browser on this machine (the code in the link signs you in); Ctrl-C stops";
            case TOKEN -> "each person signs in with their own bearer token; Ctrl-C stops";
            case NONE -> "read-only, no sign-in: anyone who reaches this address reads what these credentials may";
        });
        if (!isLoopback(address)) {
            err.println("warning: serving on " + address + " over plain HTTP: put TLS in front (an Ingress) before"
                    + " people sign in across a network");
        }
        out.flush();
        server.join();
        return ExitCodes.OK;
    }

    /** Who the API server says the kubeconfig's user is; the context's user name where it cannot say (before 1.28). */
    private static String whoAmI(KubernetesClient client, Config config) {
        try {
            SelfSubjectReview review = client.authentication().v1().selfSubjectReviews().create(new SelfSubjectReview());
            if (review.getStatus() != null && review.getStatus().getUserInfo() != null) {
                return review.getStatus().getUserInfo().getUsername();
            }
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404 && e.getCode() != 403) {
                throw e;
            }
        }
        return config.getCurrentContext() == null || config.getCurrentContext().getContext() == null ? "kubeconfig user"
                : config.getCurrentContext().getContext().getUser();
    }

    private static boolean isLoopback(String address) {
        return address.startsWith("127.") || address.equals("::1") || address.equals("localhost");
    }
}
