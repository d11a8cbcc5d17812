package dev.arkonis.ark.cluster.kubelet;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The part of the kubelet's API the API server proxies {@code kubectl logs} to: {@code GET
 * /containerLogs/<ns>/<pod>/<container>} (with {@code previous} and {@code tailLines}), served from the files
 * the pod's processes write. HTTPS with a self-signed certificate (made with the JDK's keytool), which the API
 * server accepts as it is not told a kubelet CA.
 */
final class KubeletLogServer implements AutoCloseable {
    /** Finds a container's log: (namespace, pod, container, previous) → file. */
    interface Logs {
        Optional<Path> find(String namespace, String pod, String container, boolean previous);
    }

    private static final String PASSWORD = "harness";
    private final HttpsServer server;

    KubeletLogServer(Path dir, Logs logs) {
        try {
            server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(tls(dir)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/containerLogs/", exchange -> serve(exchange, logs));
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private static void serve(HttpExchange exchange, Logs logs) throws IOException {
        String[] parts = exchange.getRequestURI().getPath().split("/");
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        if (parts.length < 5) {
            reply(exchange, 404, "want /containerLogs/<namespace>/<pod>/<container>\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        boolean previous = "true".equals(query.get("previous"));
        Optional<Path> log = logs.find(parts[2], parts[3], parts[4], previous);
        if (log.isEmpty() || !Files.exists(log.get())) {
            reply(exchange, 404, ("previous terminated container \"" + parts[4] + "\" in pod \"" + parts[3] + "\" not found\n")
                    .getBytes(StandardCharsets.UTF_8));
            return;
        }
        List<String> lines = Files.readAllLines(log.get(), StandardCharsets.UTF_8);
        if (query.containsKey("tailLines")) {
            int tail = Integer.parseInt(query.get("tailLines"));
            lines = lines.subList(Math.max(0, lines.size() - tail), lines.size());
        }
        String text = lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
        reply(exchange, 200, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void reply(HttpExchange exchange, int code, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(code, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                query.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return query;
    }

    private static SSLContext tls(Path dir) throws IOException {
        Path store = dir.resolve("kubelet.p12");
        try {
            if (!Files.exists(store)) {
                Files.createDirectories(dir);
                Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                        "-genkeypair", "-alias", "kubelet", "-keyalg", "RSA", "-keysize", "2048", "-validity", "30",
                        "-dname", "CN=harness-node", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12",
                        "-keystore", store.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
                        .redirectErrorStream(true).start();
                if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
                    throw new IOException("keytool could not make the kubelet's certificate: "
                            + new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                }
            }
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                keys.load(in, PASSWORD.toCharArray());
            }
            KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            managers.init(keys, PASSWORD.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(managers.getKeyManagers(), null, null);
            return context;
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("the kubelet's TLS: " + e.getMessage(), e);
        } 
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
