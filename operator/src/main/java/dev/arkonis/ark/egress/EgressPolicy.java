package dev.arkonis.ark.egress;

import dev.arkonis.ark.config.InvalidSettingException;
import dev.arkonis.ark.config.Setting;
import dev.arkonis.ark.config.Settings;
import dev.arkonis.ark.queue.RedisEndpoint;
import dev.arkonis.ark.queue.RedisUrls;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where outbound HTTP on a tenant's behalf (HTTP tools, MCP servers, ArkNotify deliveries) may not go: loopback,
 * link-local addresses (cloud metadata services answer on 169.254.169.254), the unspecified address, known metadata
 * addresses, the cluster's API server and the task queue's Redis. Checked on the address a connection is actually
 * made to, so a name that resolves (or is rebound, or redirected) to such an address is refused too.
 * {@code ARK_EGRESS_ALLOW} (CIDRs, addresses or host names, comma-separated) lifts it for what it lists.
 *
 * <p>On a laptop ({@code ark run}) loopback and the unspecified address are allowed (local tools are normal there);
 * link-local and metadata addresses are still refused.
 */
public final class EgressPolicy {
    /** Comma-separated CIDRs, addresses or host names outbound HTTP may reach although the policy guards them. */
    public static final String ALLOW = "ARK_EGRESS_ALLOW";
    /** Comma-separated host names or addresses guarded besides the built-in ones (the operator names its API server). */
    public static final String DENY = "ARK_EGRESS_DENY";
    private static final String ENTRIES = "CIDRs, addresses or host names, comma-separated";
    public static final Setting<List<String>> ALLOWED = Setting.parsed(ALLOW, ENTRIES, EgressPolicy::entries)
            .means("what outbound HTTP on a tenant's behalf (HTTP tools, MCP servers, ArkNotify) may reach although"
                    + " guarded (see [Egress](#egress-outbound-http-on-a-tenants-behalf))");
    public static final Setting<List<String>> DENIED = Setting.parsed(DENY, ENTRIES, EgressPolicy::entries)
            .means("the API server's names and addresses, guarded besides the built-in ones");
    public static final Setting<Optional<String>> API_SERVER_HOST = Setting.external("KUBERNETES_SERVICE_HOST",
            "address").setBy("the kubelet").means("the API server's address: guarded from outbound HTTP");
    private static final String API_SERVER = "the cluster's API server";
    private static final String TASK_QUEUE = "the task queue (Redis)";
    private static final List<String> API_SERVER_NAMES = List.of("kubernetes", "kubernetes.default",
            "kubernetes.default.svc", "kubernetes.default.svc.cluster.local");
    private static final Pattern ADDRESS_LITERAL = Pattern.compile("[0-9.]+|.*:.*");
    private static final List<AddressRange> METADATA = List.of(
            range("100.100.100.200", 32),   // Alibaba Cloud
            range("fd00:ec2::254", 128));   // AWS over IPv6
    private static final AddressRange NAT64 = range("64:ff9b::", 96);

    private final boolean laptop;
    private final List<String> allowEntries;
    private final List<AddressRange> allowedRanges;
    private final Set<String> allowedNames;
    private final List<String> denyEntries;
    private final Map<String, String> guarded;

    private EgressPolicy(boolean laptop, List<String> allowEntries, List<String> denyEntries, Map<String, String> guarded) {
        this.laptop = laptop;
        this.allowEntries = List.copyOf(allowEntries);
        this.denyEntries = List.copyOf(denyEntries);
        this.guarded = Map.copyOf(guarded);
        List<AddressRange> ranges = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String entry : allowEntries) {
            parse(entry).ifPresentOrElse(ranges::add, () -> names.add(hostName(entry)));
        }
        this.allowedRanges = List.copyOf(ranges);
        this.allowedNames = Set.copyOf(names);
    }

    /**
     * The policy of a process in a cluster (operator, agent), from its environment: {@code ARK_EGRESS_ALLOW},
     * {@code ARK_EGRESS_DENY}, {@code KUBERNETES_SERVICE_HOST} and the Redis hosts of {@code TASK_QUEUE_URL}
     * (every Sentinel of a {@code redis-sentinel://} URL).
     *
     * @throws InvalidSettingException for an entry that is neither a CIDR, an address nor a host name
     */
    public static EgressPolicy forCluster(Map<String, String> env) {
        Settings settings = new Settings(env);
        Map<String, String> guarded = new LinkedHashMap<>();
        API_SERVER_NAMES.forEach(name -> guarded.put(name, API_SERVER));
        settings.get(API_SERVER_HOST).ifPresent(host -> guarded.put(hostName(host), API_SERVER));
        List<String> deny = settings.get(DENIED);
        deny.forEach(entry -> guarded.putIfAbsent(hostName(entry), API_SERVER));
        settings.get(RedisEndpoint.URL_IF_SET).map(RedisUrls::hosts).orElse(List.of())
                .forEach(host -> guarded.putIfAbsent(hostName(host), TASK_QUEUE));
        return new EgressPolicy(false, settings.get(ALLOWED), deny, guarded);
    }

    /** The policy of {@code ark run} on a laptop: loopback allowed, link-local and metadata addresses refused. */
    public static EgressPolicy forLaptop(Map<String, String> env) {
        return new EgressPolicy(true, new Settings(env).get(ALLOWED), List.of(), Map.of());
    }

    /** What an agent pod is given so that its guard is the operator's, whatever the role's own env says. */
    public Map<String, String> agentEnv() {
        List<String> deny = new ArrayList<>(denyEntries);
        guarded.forEach((host, what) -> {
            if (API_SERVER.equals(what) && !API_SERVER_NAMES.contains(host) && !deny.contains(host)) {
                deny.add(host);
            }
        });
        return Map.of(ALLOW, String.join(",", allowEntries), DENY, String.join(",", deny));
    }

    /**
     * Allows a connection to {@code address}, reached as {@code host} (a name, or the address itself).
     *
     * @throws EgressRefusedException naming the host, the address and why
     */
    public void check(String host, InetAddress address) throws EgressRefusedException {
        String name = hostName(host);
        if (allowedNames.contains(name) || allowedRanges.stream().anyMatch(r -> r.contains(address))) {
            return;
        }
        String why = kind(address);
        if (why == null) {
            why = guardedAs(name, address);
        }
        if (why != null) {
            String shown = address.getHostAddress();
            String reason = why + "; " + ALLOW + " (the chart's egress.allow) lifts this";
            throw new EgressRefusedException("refused to connect to "
                    + (name.equals(shown) ? shown : name + " (" + shown + ")") + ": " + reason, reason);
        }
    }

    /** Checks every address {@code host} resolves to (for clients that connect on their own, after this check). */
    public void checkResolved(String host) throws EgressRefusedException {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            return;  // the connection fails on its own, with its own words
        }
        for (InetAddress address : addresses) {
            check(host, address);
        }
    }

    /** Why an address is refused whoever it belongs to, or null. */
    private String kind(InetAddress address) {
        InetAddress embedded = embeddedIpv4(address);
        if (embedded != null) {
            String why = kind(embedded);
            return why == null ? null : why + " (inside " + address.getHostAddress() + ")";
        }
        if (address.isLinkLocalAddress()) {
            return "a link-local address, where cloud metadata services answer";
        }
        if (METADATA.stream().anyMatch(r -> r.contains(address))) {
            return "a cloud metadata address";
        }
        if (laptop) {
            return null;
        }
        if (address.isLoopbackAddress()) {
            return "a loopback address (this pod itself)";
        }
        if (address.isAnyLocalAddress()) {
            return "the unspecified address (this pod itself)";
        }
        return null;
    }

    private String guardedAs(String name, InetAddress address) {
        String what = guarded.get(name);
        if (what != null) {
            return what;
        }
        for (Map.Entry<String, String> entry : guarded.entrySet()) {
            if (API_SERVER_NAMES.contains(entry.getKey())) {
                continue;  // they resolve to KUBERNETES_SERVICE_HOST, which is guarded as it is
            }
            try {
                if (Arrays.asList(InetAddress.getAllByName(entry.getKey())).contains(address)) {
                    return entry.getValue();
                }
            } catch (UnknownHostException e) {
                // a guarded name that does not resolve guards no address
            }
        }
        return null;
    }

    /** The IPv4 address inside an IPv4-compatible (::a.b.c.d) or NAT64 (64:ff9b::a.b.c.d) IPv6 address, or null. */
    private static InetAddress embeddedIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return null;
        }
        byte[] bytes = address.getAddress();
        boolean compatible = Arrays.equals(bytes, 0, 12, new byte[12], 0, 12) && !address.isLoopbackAddress()
                && !address.isAnyLocalAddress();
        if (!compatible && !NAT64.contains(address)) {
            return null;
        }
        try {
            return InetAddress.getByAddress(Arrays.copyOfRange(bytes, 12, 16));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are an IPv4 address", e);
        }
    }

    private static List<String> entries(Settings settings, String name) {
        List<String> entries = settings.optional(name).map(v -> Arrays.stream(v.split(",")).map(String::strip)
                .filter(s -> !s.isEmpty()).toList()).orElse(List.of());
        for (String entry : entries) {
            if (entry.contains("/") && parse(entry).isEmpty() || entry.contains(" ")) {
                throw new InvalidSettingException(name + " must list CIDRs, addresses or host names, not '" + entry + "'");
            }
        }
        return entries;
    }

    /** A CIDR or an address literal as a range; empty for a host name. */
    private static Optional<AddressRange> parse(String entry) {
        String[] parts = entry.split("/", 2);
        if (!ADDRESS_LITERAL.matcher(parts[0]).matches()) {
            return Optional.empty();
        }
        try {
            InetAddress address = InetAddress.getByName(parts[0]);  // a literal: no lookup
            int bits = address.getAddress().length * 8;
            int prefix = parts.length == 1 ? bits : Integer.parseInt(parts[1]);
            return prefix < 0 || prefix > bits ? Optional.empty() : Optional.of(AddressRange.of(address, prefix));
        } catch (UnknownHostException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Host names compare in lower case, without a trailing dot or IPv6 brackets. */
    private static String hostName(String host) {
        String name = host.strip().toLowerCase(Locale.ROOT);
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1);
        }
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    private static AddressRange range(String literal, int prefix) {
        try {
            return AddressRange.of(InetAddress.getByName(literal), prefix);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(literal + " is a literal", e);
        }
    }
}
