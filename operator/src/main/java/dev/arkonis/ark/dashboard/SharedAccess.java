package dev.arkonis.ark.dashboard;

import dev.arkonis.ark.dashboard.web.Secrets;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * One set of credentials for every session: the kubeconfig's on a laptop (a browser signs in with the code printed at
 * start, so neither another local user nor a web page can use them), or a ServiceAccount's in read-only mode (no
 * sign-in).
 */
public final class SharedAccess implements Access {
    private final KubernetesClient client;
    private final String user;
    private final String code;

    private SharedAccess(KubernetesClient client, String user, String code) {
        this.client = client;
        this.user = user;
        this.code = code;
    }

    /** Sessions sign in with a one-time code made now; {@link #code()} is what to print. */
    public static SharedAccess withCode(KubernetesClient client, String user) {
        return new SharedAccess(client, user, Secrets.random());
    }

    public static SharedAccess withoutSignIn(KubernetesClient client, String user) {
        return new SharedAccess(client, user, null);
    }

    public String code() {
        return code;
    }

    @Override
    public DashboardSettings.SignIn kind() {
        return code == null ? DashboardSettings.SignIn.NONE : DashboardSettings.SignIn.CODE;
    }

    @Override
    public Identity signIn(String secret) throws SignInRefused {
        if (code != null && !Secrets.same(code, secret)) {
            throw new SignInRefused("that sign-in code is not the one ark dashboard printed");
        }
        return new Identity(client, user, false);
    }

    @Override
    public void close() {
        client.close();
    }
}
