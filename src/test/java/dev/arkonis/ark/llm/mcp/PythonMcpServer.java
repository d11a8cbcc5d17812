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
 * {@code src/test/resources/mcp/reference_server.py} on the MCP project's Python SDK, over streamable HTTP with
 * resumable streams. The first use makes a virtual environment in {@code target/} and installs the pinned SDK from
 * PyPI, so a fresh machine needs only python3.
 */
final class PythonMcpServer implements AutoCloseable {
    static final String SDK = "mcp==2.3.0";
    private static final Path VENV = Path.of("target", "python", "mcp-2.3.0");
    private static final Path SCRIPT = Path.of("src", "test", "resources", "mcp", "reference_server.py");

    private final Process process;
    private final int port;

    private PythonMcpServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static PythonMcpServer start() throws IOException, InterruptedException {
        Path python = install();
        int port = freePort();
        Process process = new ProcessBuilder(python.toString(), SCRIPT.toString(), Integer.toString(port))
                .redirectErrorStream(true)
                .redirectOutput(VENV.resolve("server-" + port + ".log").toFile())
                .start();
        PythonMcpServer server = new PythonMcpServer(process, port);
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(server::listening);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    String url() {
        return "http://127.0.0.1:" + port + "/mcp";
    }

    private boolean listening() {
        if (!process.isAlive()) {
            throw new IllegalStateException("the Python MCP server exited with " + process.exitValue());
        }
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static synchronized Path install() throws IOException, InterruptedException {
        Path python = VENV.resolve("bin/python");
        if (Files.exists(VENV.resolve("installed"))) {
            return python;
        }
        Files.createDirectories(VENV.getParent());
        run(List.of("python3", "-m", "venv", "--clear", VENV.toString()));
        run(List.of(python.toString(), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", SDK));
        Files.writeString(VENV.resolve("installed"), SDK);
        return python;
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Path log = Files.createTempFile(VENV.getParent(), "install-", ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed: " + Files.readString(log));
        }
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
