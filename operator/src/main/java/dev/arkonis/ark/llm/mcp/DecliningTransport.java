package dev.arkonis.ark.llm.mcp;

import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Answers the elicitation requests of a server before the SDK sees them. An agent has nobody to ask, so ark declares
 * no elicitation mode, and MCP wants {@code -32602} (invalid params) for a request in a mode the client did not
 * declare; the SDK would answer {@code -32601}. Sampling needs nothing here: without a handler the SDK answers
 * {@code -32601}, JSON-RPC's word for a method the client does not have, and declares no sampling capability.
 */
final class DecliningTransport implements McpClientTransport {
    private static final Logger LOG = LoggerFactory.getLogger("mcp");
    private static final String ELICITATION = "elicitation/create";

    private final McpClientTransport delegate;
    private final String server;

    DecliningTransport(McpClientTransport delegate, String server) {
        this.delegate = delegate;
        this.server = server;
    }

    @Override
    public Mono<Void> connect(Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
        return delegate.connect(incoming -> incoming.flatMap(message -> {
            if (message instanceof McpSchema.JSONRPCRequest request && ELICITATION.equals(request.method())) {
                LOG.warn("{} asked for user input (elicitation); an agent has no user to ask: declined", server);
                return delegate.sendMessage(McpSchema.JSONRPCResponse.error(request.id(),
                        new McpSchema.JSONRPCResponse.JSONRPCError(McpSchema.ErrorCodes.INVALID_PARAMS,
                                "Elicitation not supported: the client declared no elicitation mode", null)))
                        .then(Mono.<McpSchema.JSONRPCMessage>empty());
            }
            return handler.apply(Mono.just(message));
        }));
    }

    @Override
    public void setExceptionHandler(Consumer<Throwable> handler) {
        delegate.setExceptionHandler(handler);
    }

    @Override
    public Mono<Void> closeGracefully() {
        return delegate.closeGracefully();
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
        return delegate.sendMessage(message);
    }

    @Override
    public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
        return delegate.unmarshalFrom(data, typeRef);
    }

    @Override
    public List<String> protocolVersions() {
        return delegate.protocolVersions();
    }
}
