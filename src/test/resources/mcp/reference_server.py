"""An MCP server on the MCP project's Python SDK (PyPI mcp, pinned by the test), for ark's client tests.

It cuts the stream of a request before answering (and keeps the events, so a client can resume), grows its tool
list while a client is connected, and asks the client for user input and for sampling, which an agent must decline.
Usage: python reference_server.py PORT
"""
import sys

import anyio
from pydantic import BaseModel

import mcp_types as types
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.streamable_http import EventMessage, EventStore
from mcp.shared.exceptions import MCPError


class MemoryEventStore(EventStore):
    """Keeps every event so that a stream can be replayed after its last event id."""

    def __init__(self):
        self.events = []

    async def store_event(self, stream_id, message):
        event_id = str(len(self.events) + 1)
        self.events.append((event_id, stream_id, message))
        return event_id

    async def replay_events_after(self, last_event_id, send_callback):
        index = next((i for i, e in enumerate(self.events) if e[0] == last_event_id), None)
        if index is None:
            return None
        stream = self.events[index][1]
        for event_id, stream_id, message in self.events[index + 1:]:
            if stream_id == stream and message is not None:
                await send_callback(EventMessage(message, event_id))
        return stream


class Project(BaseModel):
    name: str


server = MCPServer("ark-reference")


@server.tool()
async def interrupted(text: str, ctx: Context) -> str:
    """Closes the stream of its own request, then answers: the client must resume the stream to read the answer."""
    await ctx.close_sse_stream()
    await anyio.sleep(0.5)
    return "after the break: " + text


@server.tool()
async def grow(ctx: Context) -> str:
    """Adds the tool 'fresh' and tells the client its tool list changed."""

    def fresh() -> str:
        return "fresh from the server"

    server.add_tool(fresh, name="fresh", description="Added while the client was connected")
    await ctx.session.send_tool_list_changed()
    return "grown"


@server.tool()
async def ask_user(ctx: Context) -> str:
    """Asks the client's user for a project name (elicitation)."""
    try:
        result = await ctx.elicit(message="Which project?", schema=Project)
        return "answered: " + result.action
    except MCPError as e:
        return f"refused {e.code}: {e.message}"


@server.tool()
async def ask_model(ctx: Context) -> str:
    """Asks the client's model for a completion (sampling)."""
    try:
        await ctx.session.create_message(
            [types.SamplingMessage(role="user", content=types.TextContent(type="text", text="hi"))], max_tokens=5)
        return "sampled"
    except MCPError as e:
        return f"refused {e.code}: {e.message}"


if __name__ == "__main__":
    server.run("streamable-http", host="127.0.0.1", port=int(sys.argv[1]), event_store=MemoryEventStore(),
               retry_interval=300)
