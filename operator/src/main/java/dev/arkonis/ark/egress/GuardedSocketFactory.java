package dev.arkonis.ark.egress;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import javax.net.SocketFactory;

/**
 * Sockets that ask the {@link EgressPolicy} about the address they are about to connect to: the resolved address
 * itself, after any DNS answer, rebinding or redirect, so nothing is checked by one name and connected by another.
 */
final class GuardedSocketFactory extends SocketFactory {
    private final EgressPolicy policy;

    GuardedSocketFactory(EgressPolicy policy) {
        this.policy = policy;
    }

    @Override
    public Socket createSocket() {
        return new GuardedSocket(policy);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return connected(new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
    }

    private Socket connected(InetSocketAddress remote, InetSocketAddress local) throws IOException {
        Socket socket = createSocket();
        if (local != null) {
            socket.bind(local);
        }
        socket.connect(remote);
        return socket;
    }

    private static final class GuardedSocket extends Socket {
        private final EgressPolicy policy;

        GuardedSocket(EgressPolicy policy) {
            this.policy = policy;
        }

        @Override
        public void connect(SocketAddress endpoint, int timeout) throws IOException {
            if (endpoint instanceof InetSocketAddress address && !address.isUnresolved()) {
                policy.check(address.getHostString(), address.getAddress());
            } else {
                throw new EgressRefusedException("refused to connect to " + endpoint + ": not a resolved address",
                        "not a resolved address");
            }
            super.connect(endpoint, timeout);
        }
    }
}
