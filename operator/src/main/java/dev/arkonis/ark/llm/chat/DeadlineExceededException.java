package dev.arkonis.ark.llm.chat;

/** The request's deadline left no time for another attempt. */
final class DeadlineExceededException extends RuntimeException {
    DeadlineExceededException(String message, Throwable lastFailure) {
        super(message, lastFailure);
    }
}
