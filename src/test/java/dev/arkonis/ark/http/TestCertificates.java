package dev.arkonis.ark.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** The tests' self-signed certificates ({@code src/test/resources/tls}: "first", "second", for 127.0.0.1). */
public final class TestCertificates {
    private TestCertificates() {
    }

    /** The PEM certificate of {@code name}. */
    public static String certificate(String name) {
        return text("/tls/" + name + ".crt");
    }

    /** The PEM (PKCS#8) private key of {@code name}. */
    public static String key(String name) {
        return text("/tls/" + name + ".key");
    }

    /** Writes {@code name}'s certificate and key to these files, as a mounted TLS Secret holds them. */
    public static void write(String name, Path certificate, Path key) throws IOException {
        for (String[] file : new String[][] {{".crt", certificate.toString()}, {".key", key.toString()}}) {
            try (InputStream in = TestCertificates.class.getResourceAsStream("/tls/" + name + file[0])) {
                Files.copy(in, Path.of(file[1]), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** A client context that trusts these certificates and no others. */
    public static SSLContext trusting(String... names) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (String name : names) {
                try (InputStream in = TestCertificates.class.getResourceAsStream("/tls/" + name + ".crt")) {
                    store.setCertificateEntry(name, CertificateFactory.getInstance("X.509").generateCertificate(in));
                }
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the tests' certificates load", e);
        }
    }

    private static String text(String resource) {
        try (InputStream in = TestCertificates.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
