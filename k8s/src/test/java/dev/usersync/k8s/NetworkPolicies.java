package dev.usersync.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;

/**
 * Whether the rendered NetworkPolicies let one pod open a connection to another, as Kubernetes decides it: the
 * source's egress and the destination's ingress must both allow it, where a pod no policy of that direction selects
 * is open in it.
 */
final class NetworkPolicies {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A pod, or an address outside the cluster ({@code ip} set, no labels).
     *
     * @param namespace the pod's namespace, whose {@code kubernetes.io/metadata.name} label is its name
     */
    record Peer(String name, String namespace, JsonNode labels, String ip) {

        static Peer pod(String name, String namespace, Map<String, String> labels) {
            return new Peer(name, namespace, JSON.valueToTree(labels), null);
        }

        static Peer pod(String name, String namespace, JsonNode labels) {
            return new Peer(name, namespace, labels, null);
        }

        static Peer outside(String name, String ip) {
            return new Peer(name, null, JSON.createObjectNode(), ip);
        }

        JsonNode namespaceLabels() {
            return JSON.valueToTree(Map.of("kubernetes.io/metadata.name", namespace));
        }
    }

    private final List<JsonNode> policies;

    NetworkPolicies(List<JsonNode> documents) {
        this.policies = Policies.of(documents, "NetworkPolicy");
    }

    boolean allows(Peer from, Peer to, int port) {
        return (from.ip() != null || allowed(from, "Egress", "egress", "to", to, port))
                && (to.ip() != null || allowed(to, "Ingress", "ingress", "from", from, port));
    }

    /** Whether the policies selecting {@code pod} in {@code type} let {@code other} through on {@code port}. */
    private boolean allowed(Peer pod, String type, String rulesField, String peersField, Peer other, int port) {
        boolean selected = false;
        for (JsonNode policy : policies) {
            JsonNode spec = policy.path("spec");
            String namespace = policy.path("metadata").path("namespace").asText();
            if (!namespace.equals(pod.namespace()) || !Selectors.matches(spec.path("podSelector"), pod.labels())
                    || !types(spec).contains(type)) {
                continue;
            }
            selected = true;
            for (JsonNode rule : spec.path(rulesField)) {
                if (portMatches(rule.path("ports"), port) && peerMatches(rule.path(peersField), other, namespace)) {
                    return true;
                }
            }
        }
        return !selected;
    }

    /** The directions a policy governs: as listed, or Ingress, plus Egress when it has egress rules. */
    private static List<String> types(JsonNode spec) {
        if (spec.has("policyTypes")) {
            List<String> types = new java.util.ArrayList<>();
            spec.path("policyTypes").forEach(t -> types.add(t.asText()));
            return types;
        }
        return spec.has("egress") ? List.of("Ingress", "Egress") : List.of("Ingress");
    }

    private static boolean portMatches(JsonNode ports, int port) {
        if (ports.isMissingNode() || ports.isEmpty()) {
            return true;
        }
        for (JsonNode p : ports) {
            if (!p.has("port") || p.path("port").asInt() == port) {
                return true;
            }
        }
        return false;
    }

    private static boolean peerMatches(JsonNode peers, Peer other, String policyNamespace) {
        if (peers.isMissingNode() || peers.isEmpty()) {
            return true;
        }
        for (JsonNode peer : peers) {
            if (peer.has("ipBlock")) {
                if (other.ip() != null && inCidr(other.ip(), peer.path("ipBlock").path("cidr").asText())) {
                    return true;
                }
                continue;
            }
            if (other.ip() != null) {
                continue;
            }
            boolean namespaceOk = peer.has("namespaceSelector")
                    ? Selectors.matches(peer.path("namespaceSelector"), other.namespaceLabels())
                    : policyNamespace.equals(other.namespace());
            boolean podOk = !peer.has("podSelector") || Selectors.matches(peer.path("podSelector"), other.labels());
            if (namespaceOk && podOk) {
                return true;
            }
        }
        return false;
    }

    private static boolean inCidr(String ip, String cidr) {
        String[] parts = cidr.split("/");
        int bits = Integer.parseInt(parts[1]);
        long mask = bits == 0 ? 0 : 0xFFFFFFFFL << (32 - bits) & 0xFFFFFFFFL;
        return (address(ip) & mask) == (address(parts[0]) & mask);
    }

    private static long address(String ip) {
        long value = 0;
        for (String octet : ip.split("\\.")) {
            value = value << 8 | Integer.parseInt(octet);
        }
        return value;
    }
}
