package dev.arkonis.ark.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
        return statusMb(pid, "VmRSS:");
    }

    /** The most the process ever had resident, in MB (what a memory limit would have had to allow), or -1. */
    static long peakRssMb(long pid) {
        return statusMb(pid, "VmHWM:");
    }

    private static long statusMb(long pid, String field) {
        Path status = Path.of("/proc/" + pid + "/status");
        if (!Files.exists(status)) {
            return -1;
        }
        for (String line : read(status).split("\n")) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return -1;
    }

    /**
     * The Java heap a JVM uses after a full collection, in MB, as {@code jcmd GC.heap_info} reports it (the sum of
     * the generations' "used"); the collection is run first ({@code jcmd GC.run}).
     */
    static double heapAfterGcMb(long pid) {
        jcmd(pid, "GC.run");
        double usedKb = 0;
        Matcher used = Pattern.compile("(?m)^ \\S.*? total \\d+K, used (\\d+)K").matcher(jcmd(pid, "GC.heap_info"));
        while (used.find()) {
            usedKb += Long.parseLong(used.group(1));
        }
        return usedKb / 1024;
    }

    /** The classes holding most of a JVM's heap ({@code jcmd GC.class_histogram}), its first {@code lines} lines. */
    static String histogram(long pid, int lines) {
        return String.join("\n", jcmd(pid, "GC.class_histogram").lines().limit(lines).toList());
    }

    static String jcmd(long pid, String command) {
        try {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(pid), command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
