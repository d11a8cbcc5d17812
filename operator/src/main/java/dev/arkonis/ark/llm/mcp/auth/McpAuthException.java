package dev.arkonis.ark.llm.mcp.auth;

/**
 * Authorisation with an MCP server failed. The message says why in words fit for the agent's log: it never holds a
 * secret, a token or a client assertion.
 */
public final class McpAuthException extends RuntimeException {
    public McpAuthException(String message) {
        super(message);
    }
}
