package dev.arkonis.ark.dashboard;

/** A sign-in that did not work, with what to tell the person (never the secret they gave). */
public final class SignInRefused extends Exception {
    public SignInRefused(String message) {
        super(message);
    }
}
