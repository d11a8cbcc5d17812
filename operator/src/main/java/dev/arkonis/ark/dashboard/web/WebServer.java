package dev.arkonis.ark.dashboard.web;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.FormFields;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's HTTP server (Jetty): a bounded pool of workers, and reads that hold no worker while a client is
 * slow (headers and forms are read without blocking, and a connection idle for {@link #IDLE_TIMEOUT_MS} is closed),
 * so a slow or stalled client cannot use the workers up; connections, header size and forms are bounded too. Every
 * answer carries {@link Guard#headers()}.
 */
public final class WebServer implements AutoCloseable {
    static final int WORKERS = 24;
    static final int MAX_CONNECTIONS = 256;
    static final long IDLE_TIMEOUT_MS = 30_000;
    static final int MAX_HEADER_BYTES = 16 * 1024;
    static final int MAX_FORM_FIELDS = 200;
    static final int MAX_FORM_BYTES = 256 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger("dashboard");

    private final Server server;
    private final ServerConnector connector;

    public WebServer(String address, int port, Function<WebRequest, WebReply> handler) {
        QueuedThreadPool pool = new QueuedThreadPool(WORKERS, 4, 60_000);
        pool.setName("ark-dashboard");
        pool.setDaemon(true);
        server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(MAX_HEADER_BYTES);
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(address);
        connector.setPort(port);
        connector.setIdleTimeout(IDLE_TIMEOUT_MS);
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(MAX_CONNECTIONS, connector));
        server.setHandler(new Adapter(handler, pool));
    }

    public void start() throws Exception {
        server.start();
    }

    public int port() {
        return connector.getLocalPort();
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(connector.getHost(), port());
    }

    public void join() throws InterruptedException {
        server.join();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("dashboard: stopping the server failed: {}", e.getMessage());
        }
    }

    /** Turns Jetty's request into a {@link WebRequest}, and a {@link WebReply} (or an event stream) into the answer. */
    private static final class Adapter extends Handler.Abstract {
        private final Function<WebRequest, WebReply> handler;
        private final Executor workers;

        Adapter(Function<WebRequest, WebReply> handler, Executor workers) {
            this.handler = handler;
            this.workers = workers;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            String method = request.getMethod();
            if (!List.of("GET", "HEAD", "POST").contains(method)) {
                reply(request, response, callback, WebReply.text(405, "only GET and POST").withHeader("Allow", "GET, POST"));
                return true;
            }
            if ("POST".equals(method)) {
                // the form is read without holding a worker; the page is built on one once it is all here
                FormFields.from(request, StandardCharsets.UTF_8, MAX_FORM_FIELDS, MAX_FORM_BYTES).whenCompleteAsync((form, failure) -> {
                    if (failure != null) {
                        // the rest of the body stays unread, so this connection cannot carry another request
                        reply(request, response, callback, WebReply.text(400, "the form could not be read (at most "
                                + MAX_FORM_FIELDS + " fields, " + MAX_FORM_BYTES + " bytes)").withHeader("Connection", "close"));
                    } else {
                        serve(request, response, callback, form);
                    }
                }, workers);
            } else {
                serve(request, response, callback, new Fields());
            }
            return true;
        }

        private void serve(Request request, Response response, Callback callback, Fields form) {
            WebReply reply;
            try {
                reply = handler.apply(toWebRequest(request, form));
            } catch (RuntimeException e) {
                LOG.warn("dashboard: {} {} failed: {}", request.getMethod(), request.getHttpURI().getPath(), e.toString());
                reply = WebReply.text(500, "the dashboard failed to answer: " + e.getClass().getSimpleName());
            }
            reply(request, response, callback, reply);
        }

        private static WebRequest toWebRequest(Request request, Fields form) {
            Map<String, String> headers = new HashMap<>();
            for (HttpField field : request.getHeaders()) {
                headers.putIfAbsent(field.getName().toLowerCase(Locale.ROOT), field.getValue());
            }
            Map<String, String> cookies = new HashMap<>();
            Request.getCookies(request).forEach(c -> cookies.putIfAbsent(c.getName(), c.getValue()));
            boolean secure = request.isSecure() || "https".equalsIgnoreCase(headers.get("x-forwarded-proto"));
            return new WebRequest(request.getMethod(), request.getHttpURI().getDecodedPath(),
                    fields(Request.extractQueryParameters(request, StandardCharsets.UTF_8)), fields(form), headers, cookies, secure);
        }

        private static Map<String, List<String>> fields(Fields fields) {
            Map<String, List<String>> map = new LinkedHashMap<>();
            fields.forEach(f -> map.put(f.getName(), List.copyOf(f.getValues())));
            return map;
        }

        private static void reply(Request request, Response response, Callback callback, WebReply reply) {
            response.setStatus(reply.status());
            HttpFields.Mutable headers = response.getHeaders();
            Guard.headers().forEach(headers::put);
            reply.headers().forEach(headers::put);
            reply.setCookies().forEach(c -> headers.add(HttpHeader.SET_COOKIE, c));
            if (reply.stream() != null) {
                JettySink sink = new JettySink(response, callback);
                request.addFailureListener(sink::failed);
                reply.stream().accept(sink);
                return;
            }
            boolean head = "HEAD".equals(request.getMethod());
            response.write(true, head ? ByteBuffer.allocate(0) : ByteBuffer.wrap(reply.body()), callback);
        }
    }
}
