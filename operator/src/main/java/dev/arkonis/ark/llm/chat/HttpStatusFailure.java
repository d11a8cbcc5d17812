package dev.arkonis.ark.llm.chat;

import dev.langchain4j.exception.HttpException;

/** An HTTP error answer, remembering which endpoint gave it; LangChain4j still maps it by status code. */
final class HttpStatusFailure extends HttpException {
    private final String endpoint;

    HttpStatusFailure(int statusCode, String body, String endpoint) {
        super(statusCode, body);
        this.endpoint = endpoint;
    }

    String endpoint() {
        return endpoint;
    }
}
