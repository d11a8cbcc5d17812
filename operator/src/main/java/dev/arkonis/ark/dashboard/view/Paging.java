package dev.arkonis.ark.dashboard.view;

import java.util.List;
import java.util.function.IntFunction;

/** Which slice of a long list a page shows, and the links to the others. */
public record Paging(int page, int pages, int size, int total, String previous, String next) {
    public static Paging of(int requested, int size, int total, IntFunction<String> link) {
        int pages = Math.max(1, (total + size - 1) / size);
        int page = Math.min(Math.max(1, requested), pages);
        return new Paging(page, pages, size, total, page > 1 ? link.apply(page - 1) : null,
                page < pages ? link.apply(page + 1) : null);
    }

    public <T> List<T> slice(List<T> all) {
        int from = Math.min(all.size(), (page - 1) * size);
        return all.subList(from, Math.min(all.size(), from + size));
    }

    /** "41–80 of 1,000". */
    public String range() {
        if (total == 0) {
            return "none";
        }
        int from = (page - 1) * size + 1;
        return Format.number(from) + "–" + Format.number(Math.min(total, from + size - 1)) + " of " + Format.number(total);
    }

    static int parse(String page) {
        try {
            return page == null ? 1 : Integer.parseInt(page);
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
