package dev.arkonis.ark.config;

/** A setting is missing or malformed; the message names the setting and says what it must be. */
public class InvalidSettingException extends RuntimeException {
    public InvalidSettingException(String message) {
        super(message);
    }
}
