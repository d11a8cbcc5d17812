package dev.arkonis.ark.llm.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseStreamTest {
    private static List<ByteBuffer> chunk(String text) {
        return List.of(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static String text(List<ByteBuffer> buffers) {
        StringBuilder out = new StringBuilder();
        buffers.forEach(b -> out.append(StandardCharsets.UTF_8.decode(b.duplicate())));
        return out.toString();
    }

    @Test
    void wholeEventsPassAndAnUnfinishedOneWaitsForItsEnd() {
        SseStream stream = new SseStream(false);

        assertThat(text(stream.feed(chunk("id: 1\nretry: 500\ndata: \n\nevent: message\ndata: {\"jsonrpc\"")))).isEqualTo(
                "id: 1\nretry: 500\ndata: \n\n");
        assertThat(text(stream.feed(chunk(":\"2.0\",\"method\":\"notifications/progress\"}\r\n\r\n"))))
                .isEqualTo("event: message\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\"}\r\n\r\n");
        // the priming event's id and retry count: the request has no answer yet, so the stream is resumed
        assertThat(stream.lastEventId()).isEqualTo("1");
        assertThat(stream.delay()).isEqualTo(Duration.ofMillis(500));
        assertThat(stream.resumable()).isTrue();

        stream.feed(chunk("id: 2\ndata: {\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{}}\n\nid: 3\ndata: {\"half"));
        stream.ended();
        assertThat(stream.lastEventId()).as("an unfinished event's id never counted").isEqualTo("2");
        assertThat(stream.resumable()).as("the response came").isFalse();
    }

    @Test
    void aStreamWithoutEventIdsCannotBeResumedAndFailedReopeningsBackOffThenStop() {
        SseStream plain = new SseStream(false);
        plain.feed(chunk("data: {\"jsonrpc\":\"2.0\",\"method\":\"x\"}\n\n"));
        assertThat(plain.resumable()).isFalse();
        assertThat(plain.unresumed()).isNull();

        SseStream standalone = new SseStream(true);
        standalone.feed(chunk("id: a\ndata: {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}\n\n"));
        assertThat(standalone.resumable()).as("the GET stream is kept open, answers or not").isTrue();
        assertThat(standalone.delay()).isEqualTo(Duration.ofSeconds(1));
        standalone.reopenFailed("connection refused");
        assertThat(standalone.delay()).isEqualTo(Duration.ofMillis(1500));
        standalone.reopenFailed("connection refused");
        standalone.reopenFailed("connection refused");
        assertThat(standalone.resumable()).isFalse();
        assertThat(standalone.unresumed()).isEqualTo("connection refused");
    }
}
