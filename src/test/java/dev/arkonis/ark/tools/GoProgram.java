package dev.arkonis.ark.tools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Go program the tests run (a linter, a parser), built once from the Go module proxy by {@code go build} in its
 * module directory under src/test, into a cache outside the checkout keyed by the module's files: a clone reuses it.
 *
 * @param module  the module's directory
 * @param name    the binary's name, and its cache directory's prefix
 * @param target  what to build: {@code .} or a package path of a dependency
 * @param sources the module's files whose content decides the build
 */
public record GoProgram(Path module, String name, String target, List<String> sources) {

    /** The binary, built first if this version of the module has none yet. */
    public synchronized Path binary() throws IOException, InterruptedException {
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "ark-test", name + "-" + sourceHash());
        Path binary = cache.resolve(name);
        if (Files.isExecutable(binary)) {
            return binary;
        }
        Files.createDirectories(cache);
        Path partial = cache.resolve(name + ".partial");
        Process build = new ProcessBuilder("go", "build", "-o", partial.toAbsolutePath().toString(), target)
                .directory(module.toFile()).redirectErrorStream(true).start();
        String log = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!build.waitFor(30, TimeUnit.MINUTES) || build.exitValue() != 0) {
            throw new IllegalStateException("go build of " + module + " failed:\n" + log);
        }
        Files.move(partial, binary, StandardCopyOption.ATOMIC_MOVE);
        return binary;
    }

    private String sourceHash() throws IOException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String file : sources) {
                sha.update(Files.readAllBytes(module.resolve(file)));
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
