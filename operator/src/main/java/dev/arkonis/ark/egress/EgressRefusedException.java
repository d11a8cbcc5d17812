package dev.arkonis.ark.egress;

import java.io.IOException;

/** A connection the egress policy did not let happen; the message names the host, its address and why. */
public final class EgressRefusedException extends IOException {
    private final String reason;

    EgressRefusedException(String message, String reason) {
        super(message);
        this.reason = reason;
    }

    /** Why, without the host or its address ("a loopback address (this pod itself)"), and what lifts it. */
    public String reason() {
        return reason;
    }
}
