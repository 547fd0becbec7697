package io.securecomm.crypto;

import static io.securecomm.testing.Vectors.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** Fingerprint: pinned value, format, equality. */
class FingerprintTest {
    // Computed independently (Python hashlib) from the documented derivation for RFC 7748's Alice public key.
    @Test
    void pinnedValueForRfc7748AlicePublicKey() {
        Fingerprint f = Fingerprint.of(hex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"));
        assertEquals("40119 46952 08557 42610 43662 60807 10207 01623 49054 98426 54355 82332", f.displayString());
        assertEquals(f.displayString(), f.toString());
    }

    @Property(tries = 20)
    void formatIsTwelveGroupsOfFiveDigits(@ForAll @Size(min = 1, max = 100) byte[] key) {
        String s = Fingerprint.of(key).displayString();
        assertTrue(s.matches("\\d{5}( \\d{5}){11}"), s);
    }

    @Test
    void equalityAndMatching() {
        byte[] a = new byte[32];
        byte[] b = new byte[32];
        b[31] = 1;
        Fingerprint fa = Fingerprint.of(a);
        assertTrue(fa.matches(Fingerprint.of(a.clone())));
        assertEquals(fa, Fingerprint.of(a.clone()));
        assertEquals(fa.hashCode(), Fingerprint.of(a.clone()).hashCode());
        assertFalse(fa.matches(Fingerprint.of(b)));
        assertNotEquals(fa, Fingerprint.of(b));
        assertEquals(64, fa.digest().length);
        assertThrows(IllegalArgumentException.class, () -> Fingerprint.of(new byte[0]));
    }
}
