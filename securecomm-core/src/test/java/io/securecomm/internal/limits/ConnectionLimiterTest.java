package io.securecomm.internal.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.internal.limits.ConnectionLimiter.Outcome;
import io.securecomm.internal.limits.ConnectionLimiter.Permit;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ConnectionLimiterTest {

    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }

    @Test
    void enforcesThePerAddressLimitThenTheTotal() throws Exception {
        ConnectionLimiter l = new ConnectionLimiter(3, 2);
        assertEquals(Outcome.ADMITTED, l.tryAcquire(ip("10.0.0.1")).outcome());
        Permit second = l.tryAcquire(ip("10.0.0.1"));
        assertTrue(second.admitted());
        assertEquals(Outcome.TOO_MANY_FROM_ADDRESS, l.tryAcquire(ip("10.0.0.1")).outcome());
        assertEquals(Outcome.ADMITTED, l.tryAcquire(ip("10.0.0.2")).outcome());
        assertEquals(Outcome.TOO_MANY_CONNECTIONS, l.tryAcquire(ip("10.0.0.3")).outcome());
        second.close();
        assertEquals(2, l.connections());
        assertEquals(Outcome.ADMITTED, l.tryAcquire(ip("10.0.0.3")).outcome());
    }

    @Test
    void closingAPermitTwiceGivesItsPlaceBackOnce() throws Exception {
        ConnectionLimiter l = new ConnectionLimiter(10, 10);
        Permit a = l.tryAcquire(ip("127.0.0.1"));
        l.tryAcquire(ip("127.0.0.1"));
        a.close();
        a.close();
        assertEquals(1, l.connections());
        assertEquals(1, l.connectionsFrom(ip("127.0.0.1")));
    }

    @Test
    void closingARefusedPermitChangesNothing() throws Exception {
        ConnectionLimiter l = new ConnectionLimiter(1, 1);
        l.tryAcquire(ip("127.0.0.1"));
        Permit refused = l.tryAcquire(ip("127.0.0.1"));
        assertFalse(refused.admitted());
        refused.close();
        assertEquals(1, l.connections());
    }

    @Test
    void ipv6CountsPerSlash64AndMappedIpv4CountsAsIpv4() throws Exception {
        ConnectionLimiter l = new ConnectionLimiter(10, 1);
        assertTrue(l.tryAcquire(ip("2001:db8:1:2::1")).admitted());
        assertEquals(Outcome.TOO_MANY_FROM_ADDRESS, l.tryAcquire(ip("2001:db8:1:2:ffff::9")).outcome());
        assertTrue(l.tryAcquire(ip("2001:db8:1:3::1")).admitted());
        assertTrue(l.tryAcquire(ip("192.0.2.7")).admitted());
        assertEquals(Outcome.TOO_MANY_FROM_ADDRESS, l.tryAcquire(ip("::ffff:192.0.2.7")).outcome());
    }

    @Test
    void forgetsAnAddressWhoseCountDropsToZero() throws Exception {
        ConnectionLimiter l = new ConnectionLimiter(10, 5);
        Permit p = l.tryAcquire(ip("10.1.1.1"));
        assertEquals(1, l.trackedAddresses());
        p.close();
        assertEquals(0, l.trackedAddresses());
    }

    @Test
    void rejectsOutOfRangeLimits() {
        assertThrows(IllegalArgumentException.class, () -> new ConnectionLimiter(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new ConnectionLimiter(5, 0));
        assertThrows(IllegalArgumentException.class, () -> new ConnectionLimiter(5, 6));
    }

    /**
     * Under any sequence of acquisitions and (repeated) releases, the counts match a simple model, never go
     * negative, and never exceed either limit.
     */
    @Property(tries = 300)
    void countsStayWithinLimitsUnderRandomAcquireAndRelease(
            @ForAll @IntRange(min = 1, max = 12) int max,
            @ForAll @IntRange(min = 1, max = 12) int perAddress,
            @ForAll @Size(max = 300) List<@IntRange(min = 0, max = 99) Integer> ops) throws Exception {
        int maxPerAddress = Math.min(perAddress, max);
        ConnectionLimiter l = new ConnectionLimiter(max, maxPerAddress);
        InetAddress[] addresses = {ip("10.0.0.1"), ip("10.0.0.2"), ip("10.0.0.3"), ip("2001:db8::1")};
        List<Permit> held = new ArrayList<>();
        List<Permit> released = new ArrayList<>();
        Map<InetAddress, Integer> model = new HashMap<>();
        Map<Permit, InetAddress> owner = new HashMap<>();
        for (int op : ops) {
            if (op < 50) {
                InetAddress a = addresses[op % addresses.length];
                Permit p = l.tryAcquire(a);
                int modelTotal = model.values().stream().mapToInt(Integer::intValue).sum();
                int modelHere = model.getOrDefault(a, 0);
                Outcome expected = modelTotal >= max ? Outcome.TOO_MANY_CONNECTIONS
                        : modelHere >= maxPerAddress ? Outcome.TOO_MANY_FROM_ADDRESS : Outcome.ADMITTED;
                assertEquals(expected, p.outcome());
                if (p.admitted()) {
                    held.add(p);
                    owner.put(p, a);
                    model.merge(a, 1, Integer::sum);
                } else {
                    p.close();
                }
            } else if (op < 85 && !held.isEmpty()) {
                Permit p = held.remove(op % held.size());
                p.close();
                released.add(p);
                model.merge(owner.get(p), -1, Integer::sum);
            } else if (!released.isEmpty()) {
                released.get(op % released.size()).close(); // a second close must change nothing
            }
            int total = 0;
            for (InetAddress a : addresses) {
                int count = l.connectionsFrom(a);
                assertEquals((int) model.getOrDefault(a, 0), count);
                assertTrue(count >= 0 && count <= maxPerAddress);
                total += count;
            }
            assertEquals(total, l.connections());
            assertTrue(l.connections() <= max);
        }
        held.forEach(Permit::close);
        assertEquals(0, l.connections());
        assertEquals(0, l.trackedAddresses());
    }
}
