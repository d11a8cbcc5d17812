package dev.arkonis.ark.cluster.kubelet;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The redis image, played by the redis-server that the embedded-redis test dependency carries (6.2, with ACLs; so
 * nothing beyond Maven is needed on a fresh machine). Like the image's entrypoint, args starting with "-" or a
 * {@code .conf} file go to redis-server; a path in a mounted volume (the config file) is read where the volume is;
 * it binds the pod IP on its own port, with its data in the container's /data volume. Its {@code redis-cli} plays
 * what the probes ask of it: a command on the pod's Redis, authenticated with {@code -a} or {@code REDISCLI_AUTH}
 * (as {@code --user} if given), exit 1 when it cannot connect, and with {@code -e} when Redis answers an error.
 */
public final class RedisImage implements StandIn {
    private static final String BINARY = "redis-server-6.2.6-v5-linux-amd64";
    private static final int PORT = 6379;
    private final Path binary;

    public RedisImage(Path cacheDir) throws IOException {
        Files.createDirectories(cacheDir);
        binary = cacheDir.resolve("redis-server");
        if (!Files.isExecutable(binary)) {
            try (InputStream in = RedisImage.class.getResourceAsStream("/" + BINARY)) {
                if (in == null) {
                    throw new IOException(BINARY + " not on the test classpath (embedded-redis)");
                }
                Path tmp = Files.createTempFile(cacheDir, "redis", ".tmp");
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                tmp.toFile().setExecutable(true);
                Files.move(tmp, binary, StandardCopyOption.ATOMIC_MOVE);
            }
        }
    }

    @Override
    public Launch launch(Context c) throws IOException {
        List<String> args = new ArrayList<>(c.container().getArgs());
        if (!args.isEmpty() && args.get(0).equals("redis-server")) {
            args.remove(0);
        }
        if (!args.isEmpty() && !args.get(0).startsWith("-") && !args.get(0).endsWith(".conf")) {
            throw new IOException("the redis image's entrypoint runs redis-server only; the harness cannot run " + args);
        }
        Path data = c.mounts().getOrDefault("/data", c.dir().resolve("data"));
        Files.createDirectories(data);
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        args.forEach(arg -> command.add(inVolume(c, arg)));
        command.addAll(List.of("--bind", c.podIp(), "--port", Integer.toString(PORT), "--dir", data.toString(),
                "--daemonize", "no"));
        return new Launch(command, Map.of(), Map.of(PORT, PORT));
    }

    /** A container path in a mounted volume, as the process sees it here; anything else as it is. */
    private static String inVolume(Context c, String arg) {
        for (Map.Entry<String, Path> mount : c.mounts().entrySet()) {
            if (arg.startsWith(mount.getKey() + "/")) {
                return mount.getValue().resolve(arg.substring(mount.getKey().length() + 1)).toString();
            }
        }
        return arg;
    }

    @Override
    public int exec(Context c, List<String> command, Map<String, String> env) throws IOException {
        if (command.isEmpty() || !command.get(0).equals("redis-cli")) {
            return StandIn.super.exec(c, command, env);
        }
        String user = null;
        String password = env.get("REDISCLI_AUTH");
        boolean errorsFail = false;
        List<String> words = new ArrayList<>();
        for (int i = 1; i < command.size(); i++) {
            switch (command.get(i)) {
                case "--user" -> user = command.get(++i);
                case "-a", "--pass" -> password = command.get(++i);
                case "-e" -> errorsFail = true;
                case "--no-auth-warning" -> { }
                default -> words.add(command.get(i));
            }
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(c.podIp(), PORT), 2000);
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            if (password != null) {
                // redis-cli reports a failed AUTH and goes on: the command then says what the server thinks of it
                send(out, user == null ? List.of("AUTH", password) : List.of("AUTH", user, password));
                in.readLine();
            }
            send(out, words.isEmpty() ? List.of("PING") : words);
            String reply = in.readLine();
            return reply == null || (errorsFail && reply.startsWith("-")) ? 1 : 0;
        } catch (IOException e) {
            return 1; // Could not connect to Redis
        }
    }

    private static void send(OutputStream out, List<String> words) throws IOException {
        StringBuilder command = new StringBuilder("*").append(words.size()).append("\r\n");
        for (String word : words) {
            command.append('$').append(word.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(word).append("\r\n");
        }
        out.write(command.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
