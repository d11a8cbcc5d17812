package dev.arkonis.ark.dashboard;

/** How a browser gets the rights its session acts with (see {@link DashboardSettings.SignIn}). */
public interface Access extends AutoCloseable {
    DashboardSettings.SignIn kind();

    /** The rights for what the person gave (the printed code, or their token; nothing when no sign-in is needed). */
    Identity signIn(String secret) throws SignInRefused;

    @Override
    default void close() {
    }
}
