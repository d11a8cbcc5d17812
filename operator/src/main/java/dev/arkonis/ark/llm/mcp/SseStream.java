package dev.arkonis.ark.llm.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * What a client must remember of one SSE stream of MCP's streamable HTTP transport to resume it: the last event id,
 * the server's retry interval, and whether the request the stream answers has its response yet. It passes the stream
 * on in whole events only, so a stream cut mid-event and resumed elsewhere never splices half an event (the SSE
 * standard drops an unfinished event at the end of a stream too).
 */
final class SseStream {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ATTEMPTS = 3;
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    /** Past this an event is passed on unfinished: the SDK's own size limit then decides. */
    private static final int MAX_HELD = (16 << 20) + 1024;

    private final boolean standalone;
    private final ByteArrayOutputStream event = new ByteArrayOutputStream();
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final StringBuilder data = new StringBuilder();
    private boolean afterCarriageReturn;
    private String type;
    private String idBuffer;
    private String lastEventId;
    private Duration retry;
    private boolean answered;
    private int failedAttempts;
    private String lastFailure;

    /** @param standalone the GET stream a client opens for server messages, as opposed to the answer to a POST */
    SseStream(boolean standalone) {
        this.standalone = standalone;
    }

    /** Reads a chunk of the stream; returns the bytes of the events it completed (possibly none). */
    List<ByteBuffer> feed(List<ByteBuffer> chunk) {
        ByteArrayOutputStream complete = new ByteArrayOutputStream();
        boolean endedOnCarriageReturn = false;
        for (ByteBuffer buffer : chunk) {
            while (buffer.hasRemaining()) {
                byte b = buffer.get();
                if (endedOnCarriageReturn) {
                    // an event ended with CR: its LF, if it follows, goes with it
                    endedOnCarriageReturn = false;
                    if (b == '\n') {
                        afterCarriageReturn = false;
                        event.write(b);
                        complete.writeBytes(event.toByteArray());
                        event.reset();
                        continue;
                    }
                    complete.writeBytes(event.toByteArray());
                    event.reset();
                }
                event.write(b);
                if (afterCarriageReturn && b == '\n') {
                    afterCarriageReturn = false;
                    continue;
                }
                afterCarriageReturn = b == '\r';
                if (b == '\n' || b == '\r') {
                    if (endOfLine()) {
                        if (b == '\r') {
                            endedOnCarriageReturn = true;
                        } else {
                            complete.writeBytes(event.toByteArray());
                            event.reset();
                        }
                    }
                } else {
                    line.write(b);
                }
            }
        }
        if (endedOnCarriageReturn || event.size() > MAX_HELD) {
            complete.writeBytes(event.toByteArray());
            event.reset();
        }
        return complete.size() == 0 ? List.of() : List.of(ByteBuffer.wrap(complete.toByteArray()));
    }

    private boolean endOfLine() {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (text.isEmpty()) {
            dispatch();
            return true;
        }
        int colon = text.indexOf(':');
        if (colon == 0) {
            return false; // a comment
        }
        String field = colon < 0 ? text : text.substring(0, colon);
        String value = colon < 0 ? "" : text.substring(colon + (text.startsWith(" ", colon + 1) ? 2 : 1));
        switch (field) {
            case "id" -> {
                if (value.indexOf('\0') < 0) {
                    idBuffer = value;
                }
            }
            case "retry" -> {
                if (!value.isEmpty() && value.chars().allMatch(Character::isDigit) && value.length() < 10) {
                    retry = Duration.ofMillis(Long.parseLong(value));
                }
            }
            case "data" -> data.append(value).append('\n');
            case "event" -> type = value;
            default -> { }
        }
        return false;
    }

    /** HTML SSE "dispatch the event": the id counts even for an event without data (MCP's priming event). */
    private void dispatch() {
        if (idBuffer != null) {
            lastEventId = idBuffer.isEmpty() ? null : idBuffer;
        }
        if (data.length() > 0 && (type == null || type.isEmpty() || "message".equals(type)) && !answered && !standalone) {
            answered = isResponse(data.toString());
        }
        data.setLength(0);
        type = null;
    }

    private static boolean isResponse(String payload) {
        try {
            JsonNode message = JSON.readTree(payload);
            for (JsonNode m : message.isArray() ? message : List.of(message)) {
                if (m.has("id") && !m.has("method") && (m.has("result") || m.has("error"))) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    /** The stream ended or broke: what was left of an unfinished event is dropped. */
    void ended() {
        event.reset();
        line.reset();
        data.setLength(0);
        type = null;
        afterCarriageReturn = false;
    }

    /**
     * Whether to reopen: the server gave an event id to resume from (MCP servers that support resumption send one
     * first), the request has no answer yet (or it is the GET stream), and reopening has not failed too often.
     */
    boolean resumable() {
        return lastEventId != null && (standalone || !answered) && failedAttempts < MAX_ATTEMPTS;
    }

    /** The server's retry interval, else a backoff growing with the failed attempts. */
    Duration delay() {
        if (retry != null) {
            return retry;
        }
        Duration backoff = Duration.ofMillis((long) (FIRST_BACKOFF.toMillis() * Math.pow(1.5, failedAttempts)));
        return backoff.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff;
    }

    String lastEventId() {
        return lastEventId;
    }

    void reopened() {
        failedAttempts = 0;
    }

    void reopenFailed(String why) {
        failedAttempts++;
        lastFailure = why;
    }

    /** The server will not resume this stream (it answered the GET with 4xx): no more attempts. */
    void refused(String why) {
        failedAttempts = MAX_ATTEMPTS;
        lastFailure = why;
    }

    /** Why the stream could not be resumed, or null when it ended as it should. */
    String unresumed() {
        return lastEventId != null && (standalone || !answered) && failedAttempts >= MAX_ATTEMPTS ? lastFailure : null;
    }
}
