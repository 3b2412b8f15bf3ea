package dev.usersync.accounts.web;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The client's address behind reverse proxies. Every proxy appends the address it received the request from to
 * {@code X-Forwarded-For}; what the client sent itself comes first and can say anything. So the client is the rightmost
 * entry that no trusted proxy added: walk from the connection's peer leftwards while the address is a trusted proxy.
 * With no trusted proxies, the peer is the client and the header is ignored. (Quarkus's own forwarding takes the
 * leftmost entry, which the client chooses; it stays off.)
 */
public final class ClientAddress {

    private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private final List<Network> trusted;

    /** {@code trusted}: addresses or CIDR ranges of the reverse proxies; anything else refuses to start. */
    public ClientAddress(List<String> trusted) {
        this.trusted = trusted.stream().map(Network::parse).toList();
    }

    public String resolve(String peer, String forwardedFor) {
        if (peer == null || forwardedFor == null || !trusts(peer)) {
            return peer;
        }
        String[] hops = forwardedFor.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = strip(hops[i].trim());
            if (literal(hop) == null) {
                return peer;
            }
            if (!trusts(hop)) {
                return hop;
            }
        }
        return peer;
    }

    private boolean trusts(String address) {
        byte[] bytes = literal(address);
        return bytes != null && trusted.stream().anyMatch(network -> network.contains(bytes));
    }

    /** The network that limits count per: the address itself for IPv4, its /64 for IPv6 (one host's usual share). */
    public static String network(String address) {
        byte[] bytes = address == null ? null : literal(address);
        if (bytes == null || bytes.length == 4) {
            return address;
        }
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < 8; i += 2) {
            prefix.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
        }
        return prefix.append(":/64").toString();
    }

    /** An IPv4 or IPv6 literal, port and brackets removed. */
    private static String strip(String hop) {
        if (hop.startsWith("[")) {
            int end = hop.indexOf(']');
            return end < 0 ? hop : hop.substring(1, end);
        }
        int colon = hop.indexOf(':');
        return colon > 0 && colon == hop.lastIndexOf(':') ? hop.substring(0, colon) : hop;
    }

    /** The bytes of an address literal, or {@code null}; never a name lookup. */
    static byte[] literal(String text) {
        if (!LITERAL.matcher(text).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private record Network(byte[] address, int prefix) {

        static Network parse(String text) {
            String[] parts = text.trim().split("/");
            byte[] address = literal(parts[0]);
            int bits = address == null ? 0 : address.length * 8;
            int prefix = parts.length == 2 && parts[1].matches("[0-9]{1,3}") ? Integer.parseInt(parts[1]) : bits;
            if (address == null || parts.length > 2 || prefix > bits) {
                throw new IllegalArgumentException("accounts.trusted-proxies: '" + text + "' is not an address or "
                        + "CIDR range");
            }
            return new Network(address, prefix);
        }

        boolean contains(byte[] other) {
            if (other.length != address.length) {
                return false;
            }
            for (int bit = 0; bit < prefix; bit++) {
                int mask = 0x80 >> (bit % 8);
                if ((other[bit / 8] & mask) != (address[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }
}
