package dev.arkonis.ark.dashboard.view;

/**
 * What every page shows around its content: its title, which section of the navigation is current, who is signed
 * in, the CSRF token its forms carry, a message from the last action, and whether actions are offered at all.
 */
public record Frame(String title, String section, String user, String csrf, Notice notice, boolean readOnly,
        boolean signOut) {

    /** The message of the last action: done, or refused and why. */
    public record Notice(boolean error, String text) {
    }
}
