package dev.arkonis.ark.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What Linux says of a process by its pid: CPU time used and resident memory (/proc). */
final class ProcessStats {
    /** USER_HZ, the unit of /proc/<pid>/stat times; 100 on Linux x86-64. */
    static final int CLOCK_TICKS = 100;

    private ProcessStats() {
    }

    /** utime + stime from /proc/<pid>/stat (fields 14 and 15, after the parenthesised command name). */
    static long cpuTicks(long pid) {
        String stat = read(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** CPU seconds (user + system) the process used so far. */
    static double cpuSeconds(long pid) {
        return cpuTicks(pid) / (double) CLOCK_TICKS;
    }

    /** Resident set size in MB, or -1 when the process is gone. */
    static long rssMb(long pid) {
        Path status = Path.of("/proc/" + pid + "/status");
        if (!Files.exists(status)) {
            return -1;
        }
        for (String line : read(status).split("\n")) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return -1;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
