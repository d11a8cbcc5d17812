package dev.arkonis.ark.llm.chat;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * LiteLLM's proxy, the OpenAI-compatible gateway companies put in front of their providers, as a real peer that
 * nobody here wrote: it serves OpenAI's {@code /v1/chat/completions} and Anthropic's {@code /v1/messages}, and its
 * models answer with LiteLLM's own mock responses, so no provider is called. Keys are checked by a
 * {@code custom_auth} hook: only {@link #KEY} is let in (401 otherwise), so a passing call proves which key arrived.
 *
 * <p>The first use on a machine installs LiteLLM {@value #VERSION} from PyPI into a virtualenv under
 * {@code ${XDG_CACHE_HOME:-~/.cache}/ark-litellm/} (about 800 MB, several minutes; other clones reuse it). The
 * {@code proxy} extra pins packages PyPI no longer serves, so its other requirements are installed unpinned.
 */
public final class LiteLlmProxy implements AutoCloseable {
    public static final String VERSION = "1.110.2";
    /** The only key the proxy lets in. */
    public static final String KEY = "sk-ark-gateway-key-0123456789";
    /** Models of the proxy and what they answer. */
    public static final String OPENAI_MODEL = "gpt-4o-mini";
    public static final String OPENAI_ANSWER = "Hello from LiteLLM";
    public static final String TOOL_CALLER = "weather-caller";
    public static final String ANTHROPIC_MODEL = "claude-sonnet-4-5";
    public static final String ANTHROPIC_ANSWER = "Hello from LiteLLM to Claude";

    /** The proxy extra's requirements, less the three exact pins that do not resolve. */
    private static final List<String> PROXY_REQUIREMENTS = List.of("gunicorn", "uvicorn", "granian", "uvloop",
            "fastapi", "starlette", "backoff", "pyyaml", "rq", "orjson", "hiredis", "apscheduler", "fastapi-sso",
            "pyjwt", "python-multipart", "cryptography", "pynacl", "websockets", "boto3", "azure-identity",
            "azure-storage-blob", "mcp", "httpx2", "pydantic", "litellm-proxy-extras", "litellm-enterprise",
            "restrictedpython", "rich", "inquirerpy", "tomlkit", "polars", "soundfile", "pyroscope-io", "expression",
            "backports-zstd", "semver", "prisma");

    // Every model answers locally; api_base points at a closed local port, so nothing could leave the machine.
    private static final String CONFIG = """
            model_list:
              - model_name: %1$s
                litellm_params: {model: openai/%1$s, api_key: unused, api_base: "http://127.0.0.1:9/v1",
                                 mock_response: "%2$s"}
              - model_name: %3$s
                litellm_params:
                  model: openai/%3$s
                  api_key: unused
                  api_base: "http://127.0.0.1:9/v1"
                  mock_tool_calls: [{"id": "call_1", "type": "function",
                                     "function": {"name": "weather", "arguments": "{\\"city\\": \\"Paris\\"}"}}]
              - model_name: %4$s
                litellm_params: {model: anthropic/%4$s, api_key: unused, api_base: "http://127.0.0.1:9",
                                 mock_response: "%5$s"}
            general_settings:
              master_key: sk-ark-litellm-master-not-used-by-clients
              custom_auth: ark_auth.user_api_key_auth
            """.formatted(OPENAI_MODEL, OPENAI_ANSWER, TOOL_CALLER, ANTHROPIC_MODEL, ANTHROPIC_ANSWER);

    private static final String AUTH_HOOK = """
            import os
            from fastapi import Request
            from litellm.proxy._types import UserAPIKeyAuth

            async def user_api_key_auth(request: Request, api_key: str) -> UserAPIKeyAuth:
                if api_key == os.environ["ARK_GATEWAY_KEY"]:
                    return UserAPIKeyAuth(api_key=api_key)
                raise Exception("unknown key")
            """;

    private final Process process;
    private final int port;

    private LiteLlmProxy(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static LiteLlmProxy start() throws IOException, InterruptedException {
        Path venv = install();
        Path dir = Files.createDirectories(Path.of("target", "litellm"));
        Files.writeString(dir.resolve("config.yaml"), CONFIG);
        Files.writeString(dir.resolve("ark_auth.py"), AUTH_HOOK);
        int port = freePort();
        ProcessBuilder builder = new ProcessBuilder(venv.resolve("bin/litellm").toString(), "--config", "config.yaml",
                "--host", "127.0.0.1", "--port", Integer.toString(port), "--telemetry", "False")
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("proxy-" + port + ".log").toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("LITELLM_") || name.equals("DATABASE_URL"));
        env.put("ARK_GATEWAY_KEY", KEY);
        // the price table ships in the wheel: no fetch from the internet at start
        env.put("LITELLM_LOCAL_MODEL_COST_MAP", "True");
        LiteLlmProxy proxy = new LiteLlmProxy(builder.start(), port);
        try {
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250)).until(proxy::listening);
        } catch (RuntimeException e) {
            proxy.close();
            throw new IllegalStateException("LiteLLM proxy did not start: " + Files.readString(
                    dir.resolve("proxy-" + port + ".log")), e);
        }
        return proxy;
    }

    /** The proxy's root: OpenAI clients add {@code /v1}, Anthropic's take it as it is. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    private boolean listening() {
        if (!process.isAlive()) {
            throw new IllegalStateException("LiteLLM proxy exited with " + process.exitValue());
        }
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The virtualenv holding LiteLLM, installed once per machine (one installer at a time, across processes). */
    private static Path install() throws IOException, InterruptedException {
        String cacheHome = System.getenv("XDG_CACHE_HOME");
        Path root = (cacheHome == null || cacheHome.isBlank() ? Path.of(System.getProperty("user.home"), ".cache")
                : Path.of(cacheHome)).resolve("ark-litellm");
        Path venv = root.resolve(VERSION);
        Path done = venv.resolve("ark-installed");
        Files.createDirectories(root);
        try (FileChannel lockFile = FileChannel.open(root.resolve("install.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock ignored = lockFile.lock()) {
            if (Files.exists(done)) {
                return venv;
            }
            deleteTree(venv);
            run(root, List.of("python3", "-m", "venv", venv.toString()), Duration.ofMinutes(2));
            List<String> pip = new ArrayList<>(List.of(venv.resolve("bin/pip").toString(), "install",
                    "--disable-pip-version-check", "--no-input", "-q", "litellm==" + VERSION));
            pip.addAll(PROXY_REQUIREMENTS);
            run(root, pip, Duration.ofMinutes(25));
            Files.writeString(done, VERSION);
            return venv;
        }
    }

    private static void run(Path dir, List<String> command, Duration limit) throws IOException, InterruptedException {
        Path log = dir.resolve("install.log");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!p.waitFor(limit.toSeconds(), TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command.subList(0, Math.min(4, command.size())))
                    + " failed; see " + log.toAbsolutePath());
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
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
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
