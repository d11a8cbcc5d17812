package dev.arkonis.ark.build;

import dev.arkonis.ark.api.ArkAgent;
import dev.arkonis.ark.api.ArkEvent;
import dev.arkonis.ark.api.ArkNotify;
import dev.arkonis.ark.api.ArkRegistry;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.ArkSettings;
import dev.arkonis.ark.api.ArkTeam;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A build step right after CRD generation (pom.xml, process-classes): the generator sorts printer columns by
 * JSON path, but kubectl shows them in the CRD's order, so this puts them back in the order the resource class
 * declares them (an ArkAgent's Model, Replicas, Ready, Tokens(24h), Budget, Age, as users read them left to right).
 * Only that block of each file changes. The build runs it from its source file, so it never ships in the jar.
 */
public final class PrinterColumnOrder {
    private static final String BLOCK = "  - additionalPrinterColumns:";
    private static final String ENTRY = "    - ";
    private static final String ENTRY_LINE = "      ";

    private PrinterColumnOrder() {
    }

    /** @param args the directory the generator wrote the CRDs to */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        for (Class<? extends HasMetadata> type : List.of(ArkTeam.class, ArkAgent.class, ArkRun.class, ArkEvent.class,
                ArkNotify.class, ArkRegistry.class, ArkSettings.class)) {
            Path file = dir.resolve(HasMetadata.getPlural(type) + "." + HasMetadata.getGroup(type) + "-v1.yml");
            Files.writeString(file, reorder(Files.readString(file), declared(type)));
        }
    }

    static List<String> declared(Class<?> type) {
        return Arrays.stream(type.getAnnotationsByType(AdditionalPrinterColumn.class)).map(AdditionalPrinterColumn::name)
                .toList();
    }

    /** The CRD text with each additionalPrinterColumns list in the given order of column names. */
    static String reorder(String crd, List<String> order) {
        List<String> lines = List.of(crd.split("\n", -1));
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            String line = lines.get(i++);
            out.add(line);
            if (!line.equals(BLOCK)) {
                continue;
            }
            List<List<String>> columns = new ArrayList<>();
            while (i < lines.size() && (lines.get(i).startsWith(ENTRY) || lines.get(i).startsWith(ENTRY_LINE))) {
                if (lines.get(i).startsWith(ENTRY)) {
                    columns.add(new ArrayList<>());
                }
                columns.get(columns.size() - 1).add(lines.get(i++));
            }
            columns.sort(Comparator.comparingInt(column -> position(order, column)));
            columns.forEach(out::addAll);
        }
        return String.join("\n", out);
    }

    private static int position(List<String> order, List<String> column) {
        for (String line : column) {
            String field = line.substring(ENTRY.length()).strip();
            if (field.startsWith("name: ")) {
                int at = order.indexOf(field.substring("name: ".length()).replace("\"", ""));
                return at < 0 ? Integer.MAX_VALUE : at;
            }
        }
        return Integer.MAX_VALUE;
    }
}
