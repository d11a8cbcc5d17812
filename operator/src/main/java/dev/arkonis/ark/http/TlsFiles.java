package dev.arkonis.ark.http;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server's certificate (PEM chain) and private key (PEM, PKCS#8) as files, such as a {@code kubernetes.io/tls}
 * Secret mounted as a volume. They are read at start, and again for the next connection once either file changed
 * (the kubelet swaps a mounted Secret's files when the Secret changes), so a renewed certificate needs no restart;
 * a pair that cannot be read then leaves the last good one in use.
 */
public final class TlsFiles {
    private static final Logger LOG = LoggerFactory.getLogger("http");

    private final Path certificate;
    private final Path key;
    private Loaded loaded;

    private record Loaded(List<FileTime> times, SslContext context) {
    }

    private TlsFiles(Path certificate, Path key, Loaded loaded) {
        this.certificate = certificate;
        this.key = key;
        this.loaded = loaded;
    }

    /** @throws IOException naming the file when the pair cannot be read or does not make a server certificate */
    public static TlsFiles load(Path certificate, Path key) throws IOException {
        return new TlsFiles(certificate, key, read(certificate, key));
    }

    /** The context for a new connection: the files' current pair, or the last good one. */
    synchronized SslContext context() {
        try {
            if (!times(certificate, key).equals(loaded.times())) {
                loaded = read(certificate, key);
                LOG.info("TLS certificate {} read again", certificate);
            }
        } catch (IOException e) {
            LOG.warn("TLS certificate {} changed but cannot be read ({}); serving the previous one", certificate,
                    e.getMessage());
        }
        return loaded.context();
    }

    private static Loaded read(Path certificate, Path key) throws IOException {
        List<FileTime> times = times(certificate, key);
        try {
            return new Loaded(times, SslContextBuilder.forServer(certificate.toFile(), key.toFile())
                    .protocols("TLSv1.3", "TLSv1.2").build());
        } catch (SSLException | IllegalArgumentException e) {
            throw new IOException("cannot serve TLS with certificate " + certificate + " and key " + key
                    + " (the key must be PEM PKCS#8, BEGIN PRIVATE KEY): " + e.getMessage(), e);
        }
    }

    private static List<FileTime> times(Path certificate, Path key) throws IOException {
        return List.of(Files.getLastModifiedTime(certificate), Files.getLastModifiedTime(key));
    }
}
