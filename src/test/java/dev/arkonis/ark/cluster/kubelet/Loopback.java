package dev.arkonis.ark.cluster.kubelet;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Pod IPs: every pod gets an address of its own in 127.0.0.0/8 (which Linux routes to lo as a whole), so a
 * server in a pod (Redis on 6379) binds its pod IP as it would in its own network namespace. The /16 is picked
 * at random, so harnesses of builds running side by side rarely meet.
 */
final class Loopback {
    private final int block = ThreadLocalRandom.current().nextInt(16, 250);
    private final Deque<String> released = new ArrayDeque<>();
    private int next = 1;

    synchronized String allocate() {
        if (!released.isEmpty()) {
            return released.poll();
        }
        int n = next++;
        if (n >= 254 * 254) {
            throw new IllegalStateException("out of pod IPs in 127." + block + ".0.0/16");
        }
        return "127." + block + "." + (n / 254) + "." + (n % 254 + 1);
    }

    synchronized void release(String ip) {
        released.addLast(ip);
    }
}
