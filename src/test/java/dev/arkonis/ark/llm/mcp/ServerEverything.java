package dev.arkonis.ark.llm.mcp;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code @modelcontextprotocol/server-everything}, the MCP project's own reference server, over streamable HTTP: a
 * real third-party server for the tool tests. The first use installs the pinned version from npm into
 * {@code target/}, so a fresh machine needs only node and npm.
 */
public final class ServerEverything implements AutoCloseable {
    public static final String PACKAGE = "@modelcontextprotocol/server-everything";
    public static final String VERSION = "2026.1.26";
    private static final Path PREFIX = Path.of("target", "npm", "server-everything-" + VERSION);

    private final Process process;
    private final int port;

    private ServerEverything(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static ServerEverything start() throws IOException, InterruptedException {
        Path main = install();
        int port = freePort();
        ProcessBuilder builder = new ProcessBuilder("node", main.toString(), "streamableHttp")
                .redirectErrorStream(true)
                .redirectOutput(PREFIX.resolve("server-" + port + ".log").toFile());
        builder.environment().put("PORT", Integer.toString(port));
        ServerEverything server = new ServerEverything(builder.start(), port);
        try {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(server::listening);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** The server's streamable HTTP endpoint. */
    public String url() {
        return "http://127.0.0.1:" + port + "/mcp";
    }

    private boolean listening() {
        if (!process.isAlive()) {
            throw new IllegalStateException("server-everything exited with " + process.exitValue());
        }
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static synchronized Path install() throws IOException, InterruptedException {
        Path main = PREFIX.resolve("node_modules/@modelcontextprotocol/server-everything/dist/index.js");
        if (Files.exists(main)) {
            return main;
        }
        Files.createDirectories(PREFIX);
        Process npm = new ProcessBuilder(List.of("npm", "install", "--prefix", PREFIX.toString(), "--no-audit",
                "--no-fund", "--loglevel=error", PACKAGE + "@" + VERSION))
                .redirectErrorStream(true)
                .redirectOutput(PREFIX.resolve("npm-install.log").toFile())
                .start();
        if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
            npm.destroyForcibly();
            throw new IllegalStateException("npm install " + PACKAGE + "@" + VERSION + " failed: "
                    + Files.readString(PREFIX.resolve("npm-install.log")));
        }
        return main;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
