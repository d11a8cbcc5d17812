package dev.arkonis.ark.egress;

import java.net.InetAddress;
import java.util.Arrays;

/** A CIDR block ({@code 10.0.0.0/8}, {@code fd00::/8}) or one address. */
record AddressRange(byte[] network, int prefix) {
    static AddressRange of(InetAddress address, int prefix) {
        return new AddressRange(address.getAddress(), prefix);
    }

    boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length != network.length) {
            return false;
        }
        int whole = prefix / 8;
        if (!Arrays.equals(bytes, 0, whole, network, 0, whole)) {
            return false;
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xFF << (8 - rest) & 0xFF;
        return (bytes[whole] & mask) == (network[whole] & mask);
    }
}
