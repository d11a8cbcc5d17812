package dev.arkonis.ark.llm.tools;

import java.util.List;

/** Tools that can change while the agent runs: an MCP server's, which it may re-announce (tools/list_changed). */
public interface ToolSource {
    /** The tools as they are now. */
    List<Tool> tools();
}
