package dev.arkonis.ark.llm;

import org.slf4j.LoggerFactory;

/** Told before a provider call is tried again, so people see the wait instead of a step that seems stuck. */
@FunctionalInterface
public interface RetryListener {
    /** Agents log each retry as a WARN line of logger {@code llm}. */
    RetryListener LOG = notice -> LoggerFactory.getLogger("llm").warn(notice.describe());

    void retrying(RetryNotice notice);
}
