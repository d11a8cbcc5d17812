package dev.arkonis.ark.agent;

/** The agent's environment is missing or has a bad value; the message names the variable. */
public class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }
}
