package dev.arkonis.ark.llm.mcp;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A server a test runs as a process of this machine: started, awaited until its port answers, stopped. */
final class ServerProcess implements AutoCloseable {
    private final Process process;
    private final String name;
    private final int port;

    private ServerProcess(Process process, String name, int port) {
        this.process = process;
        this.name = name;
        this.port = port;
    }

    /** Starts {@code command}, which listens on {@code port}, and waits until it does. */
    static ServerProcess start(ProcessBuilder command, String name, int port, Duration within) throws IOException {
        ServerProcess server = new ServerProcess(command.start(), name, port);
        try {
            await().atMost(within).pollInterval(Duration.ofMillis(100)).until(server::listening);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return port;
    }

    private boolean listening() {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited with " + process.exitValue());
        }
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
