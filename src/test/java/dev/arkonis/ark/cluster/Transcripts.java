package dev.arkonis.ark.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** What kubectl printed for the cluster-feature tests (ArkEventIT, ArkNotifyIT), kept in one file for reports. */
final class Transcripts {
    static final Path FILE = Path.of("target/cluster-features.txt");
    private static boolean started;

    private Transcripts() {
    }

    /** Appends the command and what it printed (the file is started afresh once per test JVM). */
    static synchronized Command.Result keep(Command.Result result) {
        try {
            if (!started) {
                Files.writeString(FILE, "# kubectl on ArkEvents, ArkNotifies and a loop step (ArkEventIT, ArkNotifyIT)\n\n");
                started = true;
            }
            Files.writeString(FILE, result.transcript() + "\n\n", StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return result;
    }
}
