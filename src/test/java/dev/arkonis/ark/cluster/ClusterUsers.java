package dev.arkonis.ark.cluster;

import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * People of a test namespace, as the API server authenticates them: a ServiceAccount each, the roles bound to it,
 * and its token as a client, or as a kubeconfig for the CLI and kubectl (the way a person's machine has it).
 */
final class ClusterUsers {
    private final ArkCluster cluster;
    private final TestNamespace ns;

    ClusterUsers(ArkCluster cluster, TestNamespace ns) {
        this.cluster = cluster;
        this.ns = ns;
    }

    /** A person, with these roles (a Role of the namespace or a ClusterRole, bound in the namespace). */
    void add(String user, Map<String, String> rolesByKind) {
        cluster.admin.serviceAccounts().inNamespace(ns.name).resource(new ServiceAccountBuilder().withNewMetadata()
                .withName(user).endMetadata().build()).create();
        rolesByKind.forEach((role, kind) -> bind(user, kind, role));
    }

    void bind(String user, String kind, String role) {
        cluster.admin.rbac().roleBindings().inNamespace(ns.name).resource(new RoleBindingBuilder().withNewMetadata()
                .withName(user + "-" + role).endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io")
                .withKind(kind).withName(role).endRoleRef().addNewSubject().withKind("ServiceAccount").withName(user)
                .withNamespace(ns.name).endSubject().build()).create();
    }

    /** The user name the API server gives the person. */
    String name(String user) {
        return "system:serviceaccount:" + ns.name + ":" + user;
    }

    String token(String user) {
        return cluster.admin.serviceAccounts().inNamespace(ns.name).withName(user).tokenRequest(new TokenRequestBuilder()
                .withNewSpec().withExpirationSeconds(3600L).endSpec().build()).getStatus().getToken();
    }

    KubernetesClient client(String user, String userAgent) {
        return cluster.kube.clientWithToken(token(user), userAgent);
    }

    /** A kubeconfig of the cluster with the person's own token and the namespace as the default; the caller deletes it. */
    Path kubeconfig(String user) {
        try {
            Path file = Files.createTempFile(user, ".kubeconfig");
            Files.copy(cluster.kube.kubeconfig(), file, StandardCopyOption.REPLACE_EXISTING);
            Map<String, String> env = shellEnv(file);
            Command.run(List.of("kubectl", "config", "set-credentials", user, "--token=" + token(user)), env,
                    Duration.ofSeconds(30)).assertSuccess();
            Command.run(List.of("kubectl", "config", "set-context", "--current", "--user=" + user, "--namespace="
                    + ns.name), env, Duration.ofSeconds(30)).assertSuccess();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The shell environment of someone using that kubeconfig. */
    Map<String, String> shellEnv(Path kubeconfig) {
        Map<String, String> env = new HashMap<>(cluster.kube.shellEnv());
        env.put("KUBECONFIG", kubeconfig.toString());
        return env;
    }
}
