package dev.arkonis.ark.llm.mcp;

import java.io.IOException;
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

    private final ServerProcess process;

    private PythonMcpServer(ServerProcess process) {
        this.process = process;
    }

    static PythonMcpServer start() throws IOException, InterruptedException {
        Path python = install();
        int port = ServerProcess.freePort();
        ProcessBuilder builder = new ProcessBuilder(python.toString(), SCRIPT.toString(), Integer.toString(port))
                .redirectErrorStream(true)
                .redirectOutput(VENV.resolve("server-" + port + ".log").toFile());
        return new PythonMcpServer(ServerProcess.start(builder, "the Python MCP server", port, Duration.ofSeconds(60)));
    }

    String url() {
        return "http://127.0.0.1:" + process.port() + "/mcp";
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

    @Override
    public void close() {
        process.close();
    }
}
