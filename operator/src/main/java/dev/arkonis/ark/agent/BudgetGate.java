package dev.arkonis.ark.agent;

import dev.arkonis.ark.api.TokenUsage;
import dev.arkonis.ark.queue.TokenBudget;
import dev.arkonis.ark.queue.TokenLedger;
import dev.arkonis.ark.queue.WindowUsage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;

/**
 * Asked before each task is taken: does the role's rolling-24h ledger leave room, in tokens and in cost? Tokens of
 * tasks still running are not in the ledger yet, so spending past a limit is bounded by the calls already in flight. Logs when the answer
 * changes; while it is no, says how long to wait (until the window frees room).
 */
final class BudgetGate {
    private static final Duration MIN_WAIT = Duration.ofMillis(100);
    private static final Duration MAX_WAIT = Duration.ofSeconds(30);

    private final TokenLedger ledger;
    private final TokenBudget budget;
    private final Clock clock;
    private final Logger log;
    private final AtomicBoolean exhausted = new AtomicBoolean();
    private volatile Optional<Instant> freesAt = Optional.empty();
    private volatile TokenUsage lastUsage = TokenUsage.ZERO;

    /** @param budget the role's rolling budget; without a limit the ledger is never read */
    BudgetGate(TokenLedger ledger, TokenBudget budget, Clock clock, Logger log) {
        this.ledger = ledger;
        this.budget = budget;
        this.clock = clock;
        this.log = log;
    }

    boolean allowsNextTask() {
        if (!budget.isSet()) {
            return true;
        }
        WindowUsage window = ledger.usageAgainst(budget);
        TokenUsage used = window.usage();
        lastUsage = used;
        boolean over = budget.exhaustedBy(used);
        freesAt = window.freesAt();
        if (over && exhausted.compareAndSet(false, true)) {
            log.warn("{} ({} used); not taking new tasks", budget.exhaustedMessage(used), budget.column(used));
        } else if (!over && exhausted.compareAndSet(true, false)) {
            log.info("rolling 24h budget has room again ({} used); taking tasks", budget.column(used));
        }
        return !over;
    }

    /** The window's tokens as last read (0 before the first read, and always without a limit). */
    long lastUsed() {
        return lastUsage.totalTokens();
    }

    /** The window's usage as last read, its cost included. */
    TokenUsage lastUsage() {
        return lastUsage;
    }

    TokenBudget budget() {
        return budget;
    }

    /** While the budget is spent: how long until it may have room (the window rotates), between 0.1 and 30 s. */
    Duration waitBeforeAskingAgain() {
        Duration wait = freesAt.map(at -> Duration.between(clock.instant(), at)).orElse(MAX_WAIT);
        return wait.compareTo(MIN_WAIT) < 0 ? MIN_WAIT : wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait;
    }
}
