package dev.arkonis.ark.cluster.kubelet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The redis image, played by the redis-server that the embedded-redis test dependency carries (so nothing beyond
 * Maven is needed on a fresh machine). Like the image's entrypoint, args starting with "-" go to redis-server;
 * it binds the pod IP on its own port, with its data in the container's /data volume.
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
        Path data = c.mounts().getOrDefault("/data", c.dir().resolve("data"));
        Files.createDirectories(data);
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        command.addAll(args);
        command.addAll(List.of("--bind", c.podIp(), "--port", Integer.toString(PORT), "--dir", data.toString(),
                "--daemonize", "no"));
        return new Launch(command, Map.of(), Map.of(PORT, PORT));
    }
}
