package dev.arkonis.ark.http;

import java.util.Optional;

/**
 * What one ark server does with a request, in three moments: as soon as its head (request line and headers) is
 * in, on the connection's own thread; then on a worker before any of the body is read; then on a worker with the
 * whole body. Nothing of a request reaches a worker until its head is complete, so callers that send slowly or
 * never finish hold no thread.
 */
public interface HttpService {
    /** A reply that needs nothing but the head and never blocks ({@code /healthz}); empty to go on. */
    default Optional<HttpReply> atOnce(HttpCall head) {
        return Optional.empty();
    }

    /** A refusal decided from the head alone (who is asking, for what), so the body of a refused request is never read. */
    default Optional<HttpReply> screen(HttpCall head) {
        return Optional.empty();
    }

    /** The answer to an admitted request, its body read whole (within the server's body limit). */
    HttpReply answer(HttpCall call) throws Exception;

    /** How the server words a refusal of its own (400 malformed, 413 too large, 500, 503 busy): plain text here. */
    default HttpReply failure(int status, String message) {
        return HttpReply.text(status, message + "\n");
    }
}
