package dev.arkonis.ark.queue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;

/** The run path's transport in memory, held to what Redis does. */
class MemoryTransportTest extends RunTransportContract {
    private MemoryTransport transport;

    @BeforeEach
    void setUp() {
        transport = new MemoryTransport();
    }

    @Override
    RunTransport transport() {
        return transport;
    }

    @Override
    int queued(String stream) {
        return transport.entries(stream).size();
    }

    @Override
    String take(String stream) {
        return transport.take(stream).fields().get("task");
    }

    @Override
    void answer(String taskId, String output, Map<String, String> copied) {
        MemoryTransport.Entry task = transport.entries(STREAM).stream()
                .filter(e -> taskId.equals(e.fields().get("task"))).findFirst().orElseThrow();
        transport.answer(task, TaskResult.succeeded(taskId, output, 3, 4, "pod-a", 1, copied));
    }

    @Override
    long pending(String resultStream) {
        return transport.pending(resultStream);
    }

    @Override
    void delegate(String taskId, int call, String target, String prompt, Map<String, String> copied) {
        MemoryTransport.Entry task = transport.entries(STREAM).stream()
                .filter(e -> taskId.equals(e.fields().get("task"))).findFirst().orElseThrow();
        transport.delegate(task, call, target, prompt);
    }

    @Override
    List<String> replies(String key) {
        return transport.replies(key);
    }
}
