package dev.arkonis.ark.llm.mcp;

import java.io.IOException;
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

    private final ServerProcess process;

    private ServerEverything(ServerProcess process) {
        this.process = process;
    }

    public static ServerEverything start() throws IOException, InterruptedException {
        Path main = install();
        int port = ServerProcess.freePort();
        ProcessBuilder builder = new ProcessBuilder("node", main.toString(), "streamableHttp")
                .redirectErrorStream(true)
                .redirectOutput(PREFIX.resolve("server-" + port + ".log").toFile());
        builder.environment().put("PORT", Integer.toString(port));
        return new ServerEverything(ServerProcess.start(builder, "server-everything", port, Duration.ofSeconds(30)));
    }

    /** The server's streamable HTTP endpoint. */
    public String url() {
        return "http://127.0.0.1:" + process.port() + "/mcp";
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

    @Override
    public void close() {
        process.close();
    }
}
