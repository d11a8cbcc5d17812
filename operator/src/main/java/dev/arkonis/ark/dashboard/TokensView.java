package dev.arkonis.ark.dashboard;

import dev.arkonis.ark.api.Ark;
import dev.arkonis.ark.api.ArkRun;
import dev.arkonis.ark.api.StepStatus;
import dev.arkonis.ark.cli.RunViews;
import dev.arkonis.ark.dashboard.view.Frame;
import dev.arkonis.ark.dashboard.view.TokensPage;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Tokens per team and role over time, summed step by step from the runs the API server holds (read 200 at a time,
 * only the sums kept), each run counted in the hour or day it started.
 */
final class TokensView {
    static final int MAX_BARS = 60;
    static final int CHART_HEIGHT = 220;
    static final int BAR_WIDTH = 22;
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("MM-dd HH:00", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT).withZone(ZoneOffset.UTC);

    private TokensView() {
    }

    static TokensPage page(KubernetesClient client, Frame frame, String namespace, String team, String bucket) {
        boolean daily = !"hour".equals(bucket);
        Map<Instant, Map<String, Long>> sums = new TreeMap<>();
        TreeSet<String> series = new TreeSet<>();
        long total = 0;
        int runs = 0;
        String next = null;
        do {
            var resources = client.resources(ArkRun.class);
            FilterWatchListDeletable<ArkRun, KubernetesResourceList<ArkRun>, Resource<ArkRun>> query = namespace == null
                    ? resources.inAnyNamespace() : resources.inNamespace(namespace);
            if (team != null) {
                query = query.withLabel(Ark.LABEL_TEAM, team);
            }
            KubernetesResourceList<ArkRun> page = query.list(new ListOptionsBuilder().withLimit(200L).withContinue(next).build());
            for (ArkRun run : page.getItems()) {
                Instant at = run.getStatus() != null && run.getStatus().startTime() != null
                        ? RunViews.instant(run.getStatus().startTime()) : RunViews.instant(run.getMetadata().getCreationTimestamp());
                if (at == null || run.getStatus() == null || run.getStatus().steps() == null) {
                    continue;
                }
                runs++;
                Instant slot = at.truncatedTo(daily ? ChronoUnit.DAYS : ChronoUnit.HOURS);
                for (StepStatus step : run.getStatus().steps()) {
                    long tokens = step.tokenUsage() == null ? 0 : step.tokenUsage().totalTokens();
                    if (tokens == 0) {
                        continue;
                    }
                    String name = RunViews.team(run) + "/" + step.role();
                    series.add(name);
                    sums.computeIfAbsent(slot, k -> new LinkedHashMap<>()).merge(name, tokens, Long::sum);
                    total += tokens;
                }
            }
            next = page.getMetadata() == null ? null : page.getMetadata().getContinue();
        } while (next != null && !next.isEmpty());
        List<String> names = new ArrayList<>(series);
        List<Map.Entry<Instant, Map<String, Long>>> slots = new ArrayList<>(sums.entrySet());
        if (slots.size() > MAX_BARS) {
            slots = slots.subList(slots.size() - MAX_BARS, slots.size());
        }
        long max = slots.stream().mapToLong(e -> e.getValue().values().stream().mapToLong(Long::longValue).sum()).max().orElse(0);
        List<TokensPage.Bar> bars = new ArrayList<>();
        int x = 0;
        for (Map.Entry<Instant, Map<String, Long>> slot : slots) {
            List<TokensPage.Part> parts = new ArrayList<>();
            long barTotal = 0;
            int y = CHART_HEIGHT;
            for (int i = 0; i < names.size(); i++) {
                long n = slot.getValue().getOrDefault(names.get(i), 0L);
                if (n == 0) {
                    continue;
                }
                barTotal += n;
                int h = (int) Math.max(1, Math.round(n * (double) CHART_HEIGHT / Math.max(1, max)));
                y -= h;
                parts.add(new TokensPage.Part(names.get(i), i % 8, n, y, h));
            }
            bars.add(new TokensPage.Bar((daily ? DAY : HOUR).format(slot.getKey()), parts, barTotal, x));
            x += BAR_WIDTH + 6;
        }
        return new TokensPage(frame, namespace, team, daily ? "day" : "hour", names, bars, total, runs,
                Math.max(200, x), CHART_HEIGHT, max);
    }
}
