package dev.arkonis.ark.http;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What a slow or hostile client does to a server: many connections that send part of a request and then hold it,
 * never finishing. A server that reads requests on a bounded pool of threads stops answering everyone else.
 */
public final class HalfSentRequests implements AutoCloseable {
    /** The kubelet's default probe timeout: a health answer slower than this is a failed probe. */
    public static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

    private static final List<String> PARTS = List.of(
            "GET /heal",
            "GET /healthz HTTP/1.1\r\nHost: x\r\n",
            "POST /triggers/team-ns/some-event/fire HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{\"a\":",
            "G");

    private final List<Socket> sockets = new ArrayList<>();

    /** Opens {@code count} connections to the port on loopback, each sending part of a request and holding. */
    public static HalfSentRequests open(int port, int count) {
        return open("127.0.0.1", port, count);
    }

    /** The same to a port of another address (a pod's). */
    public static HalfSentRequests open(String host, int port, int count) {
        HalfSentRequests held = new HalfSentRequests();
        try {
            for (int i = 0; i < count; i++) {
                Socket socket = new Socket();
                held.sockets.add(socket);
                socket.connect(new InetSocketAddress(host, port), 2000);
                OutputStream out = socket.getOutputStream();
                out.write(PARTS.get(i % PARTS.size()).getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        } catch (IOException e) {
            held.close();
            throw new UncheckedIOException(e);
        }
        return held;
    }

    /** A GET as a kubelet probe sends it, given up after {@link #PROBE_TIMEOUT}. */
    public static HttpResponse<String> probe(String url) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(PROBE_TIMEOUT).build();
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(PROBE_TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** How many of the held connections the server has closed (it gave up on them). */
    public long closedByServer() {
        return sockets.stream().filter(HalfSentRequests::closedByPeer).count();
    }

    private static boolean closedByPeer(Socket socket) {
        try {
            socket.setSoTimeout(1);
            return socket.getInputStream().read() == -1;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() {
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing what the server may have closed already
            }
        }
    }
}
