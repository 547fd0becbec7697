package io.securecomm.internal.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The order in which a connect tries a relay's nodes, and what it reports when none answers; no sockets. */
class NodeAttemptsTest {
    private static InetAddress ip(int last) throws UnknownHostException {
        return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
    }

    private static InetSocketAddress node(String host, int port) {
        return InetSocketAddress.createUnresolved(host, port);
    }

    /** A resolver with a fixed table; a name it lacks does not resolve. It records the names it was asked for. */
    private static final class Table implements NodeAttempts.Resolver {
        private final Map<String, List<InetAddress>> names;
        private final List<String> asked = new ArrayList<>();

        Table(Map<String, List<InetAddress>> names) {
            this.names = names;
        }

        @Override
        public List<InetAddress> resolve(String host) throws UnknownHostException {
            asked.add(host);
            List<InetAddress> found = names.get(host);
            if (found == null) {
                throw new UnknownHostException(host);
            }
            return found;
        }
    }

    @Test
    void triesEveryAddressOfEachNodeInOrderAndResolvesANodeOnlyWhenItsTurnComes() throws Exception {
        Table dns = new Table(Map.of("a", List.of(ip(1), ip(2)), "b", List.of(ip(3))));
        NodeAttempts plan = new NodeAttempts(List.of(node("a", 8080), node("b", 9090)), dns);

        assertEquals(Optional.of(new InetSocketAddress(ip(1), 8080)), plan.next());
        assertEquals(List.of("a"), dns.asked, "b is resolved only once a's addresses are used up");
        plan.failed(Unreachable.REFUSED, new ConnectException("one"));
        assertEquals(Optional.of(new InetSocketAddress(ip(2), 8080)), plan.next());
        plan.failed(Unreachable.TIMED_OUT, new ConnectException("two"));
        assertEquals(Optional.of(new InetSocketAddress(ip(3), 9090)), plan.next());
        assertEquals(List.of("a", "b"), dns.asked);
        plan.failed(Unreachable.REFUSED, new ConnectException("three"));
        assertEquals(Optional.empty(), plan.next());
    }

    @Test
    void reportsTheLastFailureWithTheEarlierOnesSuppressedInIt() throws Exception {
        Table dns = new Table(Map.of("b", List.of(ip(3))));
        NodeAttempts plan = new NodeAttempts(List.of(node("nowhere", 1), node("b", 2)), dns);

        assertEquals(Optional.of(new InetSocketAddress(ip(3), 2)), plan.next(), "a name that does not resolve is"
                + " that node's failure, and the next node is tried");
        ConnectException last = new ConnectException("refused");
        plan.failed(Unreachable.REFUSED, last);
        assertEquals(Optional.empty(), plan.next());

        assertSame(last, plan.failure());
        assertEquals(Unreachable.REFUSED, plan.why());
        Throwable[] earlier = last.getSuppressed();
        assertEquals(1, earlier.length);
        assertTrue(earlier[0] instanceof UnknownHostException, "the unresolved name is kept: " + earlier[0]);
    }

    @Test
    void aRelayOfOneNodeReportsExactlyWhatItsOneAttemptMet() throws Exception {
        NodeAttempts plan = new NodeAttempts(List.of(node("a", 1)), new Table(Map.of("a", List.of(ip(1)))));
        assertTrue(plan.next().isPresent());
        ConnectException only = new ConnectException("refused");
        plan.failed(Unreachable.REFUSED, only);

        assertEquals(Optional.empty(), plan.next());
        assertSame(only, plan.failure());
        assertArrayEquals(new Throwable[0], only.getSuppressed());
    }

    @Test
    void aNameThatDoesNotResolveIsReportedAsAnUnknownHost() {
        NodeAttempts plan = new NodeAttempts(List.of(node("nowhere", 1)), new Table(Map.of()));

        assertEquals(Optional.empty(), plan.next());
        assertEquals(Unreachable.UNKNOWN_HOST, plan.why());
        assertTrue(plan.failure() instanceof UnknownHostException);
    }

    @Test
    void misuseIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new NodeAttempts(List.of(), NodeAttempts.SYSTEM));
        NodeAttempts plan = new NodeAttempts(List.of(node("a", 1)), NodeAttempts.SYSTEM);
        assertThrows(IllegalStateException.class, plan::why, "nothing failed yet");
        assertThrows(IllegalStateException.class, plan::failure);
    }
}
