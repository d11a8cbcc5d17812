package dev.arkonis.ark.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How a command prints its result ({@code -o/--output json}, kubectl's habit) and where it also writes it
 * ({@code --output-file}). The old spellings still work with a warning: {@code --format json}, and
 * {@code --output <file>} when the value is not a format name.
 */
record OutputChoice(OutputFormat format, Path file) {

    static Optional<OutputChoice> resolve(String output, String legacyFormat, Path outputFile, PrintWriter err,
            OutputFormat... allowed) {
        List<OutputFormat> formats = Arrays.asList(allowed);
        OutputFormat format = formats.get(0);
        Path file = outputFile;
        if (legacyFormat != null) {
            Optional<OutputFormat> f = OutputFormat.parse(legacyFormat).filter(formats::contains);
            if (f.isEmpty()) {
                err.println("error: --format " + legacyFormat + ": expected one of " + names(formats));
                err.println("see --help");
                return Optional.empty();
            }
            err.println("warning: --format is now -o/--output (as in kubectl): use -o " + f.get());
            format = f.get();
        }
        if (output != null) {
            Optional<OutputFormat> f = OutputFormat.parse(output);
            if (f.isPresent() && formats.contains(f.get())) {
                format = f.get();
            } else if (f.isPresent()) {
                err.println("error: -o " + output + " is not available here: expected one of " + names(formats));
                err.println("see --help");
                return Optional.empty();
            } else {
                err.println("warning: --output <file> is now --output-file <file>; -o/--output takes "
                        + names(formats) + " (as in kubectl)");
                if (file != null) {
                    err.println("error: both --output " + output + " and --output-file " + file + " name a file");
                    return Optional.empty();
                }
                file = Path.of(output);
            }
        }
        return Optional.of(new OutputChoice(format, file));
    }

    /** Before any work: the file can be created or replaced. */
    static boolean checkWritable(Path file, PrintWriter err) {
        Path absolute = file.toAbsolutePath();
        Path parent = absolute.getParent();
        String problem = null;
        if (Files.isDirectory(absolute)) {
            problem = "is a directory";
        } else if (parent != null && !Files.isDirectory(parent)) {
            problem = "directory " + parent + " does not exist";
        } else if (Files.exists(absolute) && !Files.isWritable(absolute)) {
            problem = "is not writable";
        } else if (!Files.exists(absolute) && parent != null && !Files.isWritable(parent)) {
            problem = "directory " + parent + " is not writable";
        }
        if (problem != null) {
            err.println("error: --output-file " + file + ": " + problem);
            return false;
        }
        return true;
    }

    private static String names(List<OutputFormat> formats) {
        return formats.stream().map(Enum::name).collect(Collectors.joining("|"));
    }
}
