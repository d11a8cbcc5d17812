package dev.arkonis.ark.operator.run;

import dev.arkonis.ark.operator.EventReason;
import dev.arkonis.ark.operator.KubeEvents;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Transitions of one run told as one Event: headed by the one that says most about the run, a Warning if any is one,
 * at the moment of the first, its message theirs in order. One transition alone is exactly the Event it always was
 * (its reason, message and name).
 *
 * @param members in the order they happened (by moment, what follows from others after them, then by key), never
 *                empty
 */
record EventGroup(List<RunTransition> members) {
    static final String SEPARATOR = "; ";
    private static final Comparator<RunTransition> ORDER = Comparator.comparing(RunTransition::at)
            .thenComparing(RunTransition::consequence).thenComparing(RunTransition::key);

    /**
     * The Events that tell these transitions: one per moment a status write recorded, so the same transitions are
     * grouped the same however often they are told (from the write itself, or from the status after a restart); a
     * group too long for one Event's message is told in as many as it needs, cut between transitions.
     */
    static List<EventGroup> byMoment(Collection<RunTransition> transitions) {
        Map<Instant, List<RunTransition>> byMoment = new TreeMap<>();
        transitions.forEach(t -> byMoment.computeIfAbsent(t.recorded(), moment -> new ArrayList<>()).add(t));
        List<EventGroup> groups = new ArrayList<>();
        for (List<RunTransition> members : byMoment.values()) {
            members.sort(ORDER);
            List<RunTransition> part = new ArrayList<>();
            int length = 0;
            for (RunTransition member : members) {
                if (!part.isEmpty() && length + SEPARATOR.length() + member.message().length() > KubeEvents.MAX_MESSAGE) {
                    groups.add(new EventGroup(List.copyOf(part)));
                    part.clear();
                }
                length = (part.isEmpty() ? 0 : length + SEPARATOR.length()) + member.message().length();
                part.add(member);
            }
            groups.add(new EventGroup(List.copyOf(part)));
        }
        return groups;
    }

    /** Whether this group and the next, told as one, still fit one Event's message whole. */
    boolean fits(EventGroup next) {
        return message().length() + SEPARATOR.length() + next.message().length() <= KubeEvents.MAX_MESSAGE;
    }

    /** This group and the next (which happened after it) as one. */
    EventGroup with(EventGroup next) {
        List<RunTransition> all = new ArrayList<>(members);
        all.addAll(next.members);
        return new EventGroup(List.copyOf(all));
    }

    /** The first that says most about the run. */
    EventReason reason() {
        RunTransition head = members.get(0);
        for (RunTransition member : members) {
            if (member.weight() > head.weight()) {
                head = member;
            }
        }
        return head.reason();
    }

    String type() {
        return members.stream().anyMatch(m -> m.reason().type().equals("Warning")) ? "Warning" : "Normal";
    }

    /** What makes it the same Event when told again: its one transition's key, or all of theirs. */
    String key() {
        return members.size() == 1 ? members.get(0).key()
                : members.stream().map(RunTransition::key).collect(Collectors.joining(" + "));
    }

    String message() {
        return members.stream().map(RunTransition::message).collect(Collectors.joining(SEPARATOR));
    }

    /** When its first transition happened. */
    Instant at() {
        return members.get(0).at();
    }

    /** Whether it tells the run's end. */
    boolean endsRun() {
        return members.stream().anyMatch(RunTransition::endsRun);
    }

    /** The same group whenever it is told again in this process: its key at its moment. */
    String identity() {
        return key() + "@" + at();
    }
}
