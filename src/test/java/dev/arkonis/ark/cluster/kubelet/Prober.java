package dev.arkonis.ark.cluster.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.Map;

/**
 * A container's probe as the kubelet runs it: httpGet passes on 2xx and 3xx, tcpSocket when it connects, exec when the
 * command (which the image plays, with the container's environment) exits 0; each within the probe's timeout.
 *
 * @param image   the image's stand-in, for exec
 * @param context the container as it was started (its args expanded)
 * @param env     the container's environment
 * @param ip      the pod's address
 * @param ports   container port → the port the process really listens on
 */
record Prober(StandIn image, StandIn.Context context, Map<String, String> env, String ip, Map<Integer, Integer> ports) {

    boolean passes(Probe probe) {
        int timeoutMillis = 1000 * (probe.getTimeoutSeconds() == null ? 1 : probe.getTimeoutSeconds());
        try {
            if (probe.getHttpGet() != null) {
                return httpGet(probe.getHttpGet(), timeoutMillis);
            }
            if (probe.getTcpSocket() != null) {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(ip, port(probe.getTcpSocket().getPort())), timeoutMillis);
                    return true;
                }
            }
            if (probe.getExec() != null) {
                return image.exec(context, probe.getExec().getCommand(), env) == 0;
            }
        } catch (IOException e) {
            return false;
        }
        return true;
    }

    private boolean httpGet(HTTPGetAction get, int timeoutMillis) throws IOException {
        HttpURLConnection http = (HttpURLConnection) URI.create("http://" + ip + ":" + port(get.getPort())
                + (get.getPath() == null ? "/" : get.getPath())).toURL().openConnection();
        http.setConnectTimeout(timeoutMillis);
        http.setReadTimeout(timeoutMillis);
        int code = http.getResponseCode();
        http.disconnect();
        return code >= 200 && code < 400;
    }

    private int port(IntOrString port) throws IOException {
        Integer containerPort = port.getIntVal() != null ? port.getIntVal() : named(context.container(), port.getStrVal());
        if (containerPort == null) {
            throw new IOException("no container port named " + port.getStrVal());
        }
        return ports.getOrDefault(containerPort, containerPort);
    }

    private static Integer named(Container c, String name) {
        return c.getPorts().stream().filter(p -> name.equals(p.getName())).map(ContainerPort::getContainerPort)
                .findFirst().orElse(null);
    }
}
