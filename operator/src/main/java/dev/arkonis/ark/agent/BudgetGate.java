package dev.arkonis.ark.agent;

import dev.arkonis.ark.queue.TokenLedger;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;

/** Says whether the role's rolling-24h ledger leaves room for new tasks; logs when that changes. */
final class BudgetGate {
    private final TokenLedger ledger;
    private final long limit;
    private final Logger log;
    private final AtomicBoolean exhausted = new AtomicBoolean();

    /** @param limit tokens per rolling 24 h; 0 = no budget (the ledger is never read) */
    BudgetGate(TokenLedger ledger, long limit, Logger log) {
        this.ledger = ledger;
        this.limit = limit;
        this.log = log;
    }

    boolean allowsNewTasks() {
        if (limit <= 0) {
            return true;
        }
        long used = ledger.usage().usage().totalTokens();
        boolean over = used >= limit;
        if (over && exhausted.compareAndSet(false, true)) {
            log.warn("rolling 24h budget of {} tokens exhausted ({} used); not taking new tasks", limit, used);
        } else if (!over && exhausted.compareAndSet(true, false)) {
            log.info("rolling 24h budget of {} tokens has room again ({} used); taking tasks", limit, used);
        }
        return !over;
    }
}
