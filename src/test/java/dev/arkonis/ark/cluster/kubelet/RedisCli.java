package dev.arkonis.ark.cluster.kubelet;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The redis image's {@code redis-cli}, as far as the chart's probes and start scripts use it (the embedded-redis binary
 * carries no client): {@code [-h host] [-p port] [--user name] [-a|--pass password] [--no-auth-warning] [-e] command...}
 * with the password from {@code REDISCLI_AUTH} unless given, the reply printed as redis-cli prints it when its output
 * is not a terminal (an array one element a line), exit 1 when it cannot connect, and with {@code -e} when Redis answers
 * an error. Without {@code -h} it asks the container's own Redis: the pod's address here, as 127.0.0.1 is in a pod. The
 * harness runs it in-process for exec probes, and as the {@code redis-cli} command of a container ({@link #main}).
 */
public final class RedisCli {
    /** The system property naming the default host of {@link #main}: the pod's address. */
    static final String DEFAULT_HOST = "ark.harness.redisHost";
    private static final int TIMEOUT_MILLIS = 2000;

    private RedisCli() {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.getenv(), System.getProperty(DEFAULT_HOST, "127.0.0.1"), System.out,
                System.err));
    }

    /** Runs one command line (without the leading {@code redis-cli}); returns its exit code. */
    static int run(List<String> args, Map<String, String> env, String defaultHost, PrintStream out, PrintStream err) {
        String host = defaultHost;
        int port = 6379;
        String user = null;
        String password = env.get("REDISCLI_AUTH");
        boolean errorsFail = false;
        int i = 0;
        for (; i < args.size() && args.get(i).startsWith("-"); i++) {
            switch (args.get(i)) {
                case "-h" -> host = args.get(++i);
                case "-p" -> port = Integer.parseInt(args.get(++i));
                case "--user" -> user = args.get(++i);
                case "-a", "--pass" -> password = args.get(++i);
                case "-e" -> errorsFail = true;
                case "--no-auth-warning", "--raw" -> { }
                default -> {
                    err.println("Unrecognized option or bad number of args for: '" + args.get(i) + "'");
                    return 1;
                }
            }
        }
        List<String> command = args.subList(i, args.size()).isEmpty() ? List.of("PING") : args.subList(i, args.size());
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream to = socket.getOutputStream();
            InputStream from = new BufferedInputStream(socket.getInputStream());
            if (password != null) {
                send(to, user == null ? List.of("AUTH", password) : List.of("AUTH", user, password));
                Reply auth = read(from);
                if (auth.error()) {
                    // redis-cli says so and goes on: the command then shows what the server thinks of it
                    err.println("AUTH failed: " + auth.text());
                }
            }
            send(to, command);
            Reply reply = read(from);
            if (reply.error()) {
                err.println("(error) " + reply.text());
                return errorsFail ? 1 : 0;
            }
            out.print(reply.text());
            out.flush();
            return 0;
        } catch (IOException | RuntimeException e) {
            err.println("Could not connect to Redis at " + host + ":" + port + ": " + e.getMessage());
            return 1;
        }
    }

    /** A reply as printed (each line ended), and whether Redis answered an error. */
    private record Reply(String text, boolean error) {
    }

    private static void send(OutputStream out, List<String> words) throws IOException {
        StringBuilder command = new StringBuilder("*").append(words.size()).append("\r\n");
        for (String word : words) {
            command.append('$').append(word.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(word)
                    .append("\r\n");
        }
        out.write(command.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** One RESP2 reply. */
    private static Reply read(InputStream in) throws IOException {
        String line = line(in);
        if (line.isEmpty()) {
            throw new IOException("empty reply");
        }
        String rest = line.substring(1);
        return switch (line.charAt(0)) {
            case '+', ':' -> new Reply(rest + "\n", false);
            case '-' -> new Reply(rest, true);
            case '$' -> {
                int length = Integer.parseInt(rest);
                if (length < 0) {
                    yield new Reply("\n", false);
                }
                byte[] bulk = in.readNBytes(length + 2);
                yield new Reply(new String(bulk, 0, length, StandardCharsets.UTF_8) + "\n", false);
            }
            case '*' -> {
                StringBuilder text = new StringBuilder();
                List<Reply> elements = new ArrayList<>();
                for (int n = Integer.parseInt(rest); n > 0; n--) {
                    elements.add(read(in));
                }
                elements.forEach(e -> text.append(e.error() ? e.text() + "\n" : e.text()));
                yield new Reply(text.toString(), false);
            }
            default -> throw new IOException("not a RESP reply: " + line);
        };
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.UTF_8);
    }
}
