package io.securecomm.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.noise.internal.HandshakePattern;
import io.securecomm.noise.internal.Token;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class NoiseProtocolTest {
    @Test
    void parsesTheSecurecommDefault() {
        NoiseProtocol p = NoiseProtocol.parse("Noise_XX_25519_ChaChaPoly_SHA256");
        assertEquals("Noise_XX_25519_ChaChaPoly_SHA256", p.name());
        assertEquals("XX", p.patternName());
        assertEquals(NoiseDh.X25519, p.dh());
        assertEquals(NoiseCipher.CHACHA_POLY, p.cipher());
        assertEquals(NoiseHash.SHA256, p.hash());
        assertEquals(3, p.handshakeMessageCount());
        assertEquals(0, p.pskCount());
        assertFalse(p.isOneWay());
        assertEquals(p, NoiseProtocol.parse("Noise_XX_25519_ChaChaPoly_SHA256"));
        assertEquals(p.hashCode(), NoiseProtocol.parse("Noise_XX_25519_ChaChaPoly_SHA256").hashCode());
        assertEquals("Noise_XX_25519_ChaChaPoly_SHA256", p.toString());
    }

    @Test
    void parsesOtherPartsAndModifiers() {
        NoiseProtocol p = NoiseProtocol.parse("Noise_XXpsk0+psk3_448_AESGCM_SHA512");
        assertEquals(NoiseDh.X448, p.dh());
        assertEquals(56, p.dh().dhLengthBytes());
        assertEquals(NoiseCipher.AES_GCM, p.cipher());
        assertEquals(NoiseHash.SHA512, p.hash());
        assertEquals(2, p.pskCount());
        HandshakePattern pattern = p.pattern();
        assertEquals(List.of(Token.PSK, Token.E), pattern.messages().get(0));
        assertEquals(List.of(Token.S, Token.SE, Token.PSK), pattern.messages().get(2));
        assertTrue(NoiseProtocol.parse("Noise_N_25519_ChaChaPoly_SHA256").isOneWay());
    }

    @Test
    void theFundamentalPatternsAreTheSpecs() {
        assertEquals(List.of(List.of(Token.E, Token.ES, Token.S, Token.SS), List.of(Token.E, Token.EE, Token.SE)),
                NoiseProtocol.parse("Noise_IK_25519_ChaChaPoly_SHA256").pattern().messages());
        assertEquals(List.of(Token.S),
                NoiseProtocol.parse("Noise_IK_25519_ChaChaPoly_SHA256").pattern().responderPreMessage());
        assertEquals(List.of(Token.S),
                NoiseProtocol.parse("Noise_KK_25519_ChaChaPoly_SHA256").pattern().initiatorPreMessage());
    }

    @ParameterizedTest
    @CsvSource({
        "Noise_XX_25519_ChaChaPoly_BLAKE2s, 'BLAKE2s'",
        "Noise_XX_25519_ChaChaPoly_BLAKE2b, 'BLAKE2b'",
        "Noise_XX_P256_ChaChaPoly_SHA256, 'P256'",
        "Noise_XX_25519_XChaChaPoly_SHA256, 'XChaChaPoly'",
        "Noise_ZZ_25519_ChaChaPoly_SHA256, 'ZZ'",
        "Noise_XXfallback_25519_ChaChaPoly_SHA256, 'fallback'",
        "Noise_XXhfs_25519+Kyber1024_ChaChaPoly_SHA256, 'hfs'",
        "Noise_XXpsk4_25519_ChaChaPoly_SHA256, 'psk4'",
        "Noise_XXpsk1+psk1_25519_ChaChaPoly_SHA256, 'psk1'",
        "Noise_XX_25519_ChaChaPoly, 'Noise_<pattern>'",
        "NoisePSK_XX_25519_ChaChaPoly_SHA256, 'Noise_<pattern>'",
        "Noise_XX_25519_ChaChaPoly_SHA256_extra, 'Noise_<pattern>'",
    })
    void rejectsUnsupportedPartsByName(String name, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NoiseProtocol.parse(name));
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
