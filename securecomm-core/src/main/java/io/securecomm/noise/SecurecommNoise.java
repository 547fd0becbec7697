package io.securecomm.noise;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;

/**
 * securecomm's own use of Noise (see docs/NOISE.md): pattern {@code XX} with DH {@code 25519} and hash
 * {@code SHA256}; cipher {@code ChaChaPoly}, or {@code AESGCM} when the client offers it in message 1 and the
 * relay accepts (docs/PROTOCOL.md, section 3.1; {@link HandshakeState#restartAs} is how each side switches);
 * prologue {@code securecomm/1}. The client is the initiator and its static key is its identity
 * key; the relay is the responder and its static key is the relay's identity.
 *
 * <pre>
 *  -&gt; e
 *  &lt;- e, ee, s, es
 *  -&gt; s, se
 * </pre>
 *
 * <p>Wire protocol v1 sends messages 2 and 3 with empty payloads and message 1 with an empty payload or a cipher
 * offer (docs/PROTOCOL.md, section 3, says what receivers accept). The handshakes made here take no part in the
 * negotiation: a client made here sends what it is given. After message 2 the client, and after message 3 the relay,
 * checks {@link HandshakeState#remoteStaticPublicKey()} against its trust decisions; the handshake only proves that
 * the peer holds the matching private key.
 */
public final class SecurecommNoise {
    /** The prologue both sides bind into the handshake hash, as ASCII text. */
    public static final String PROLOGUE_TEXT = "securecomm/1";
    /** The default protocol name. */
    public static final String DEFAULT_PROTOCOL_NAME = "Noise_XX_25519_ChaChaPoly_SHA256";
    /** The protocol name with AES-GCM, faster on the JDK 17 JCA where the CPU has AES instructions. */
    public static final String AESGCM_PROTOCOL_NAME = "Noise_XX_25519_AESGCM_SHA256";

    // Parsed once: NoiseProtocol is immutable, and every handshake asks for one.
    private static final NoiseProtocol CHACHA_POLY = NoiseProtocol.parse(DEFAULT_PROTOCOL_NAME);
    private static final NoiseProtocol AES_GCM = NoiseProtocol.parse(AESGCM_PROTOCOL_NAME);

    private SecurecommNoise() {}

    /**
     * Returns securecomm's protocol for the given cipher.
     *
     * @param cipher {@link NoiseCipher#CHACHA_POLY} (default) or {@link NoiseCipher#AES_GCM}
     * @return {@code Noise_XX_25519_<cipher>_SHA256}
     */
    public static NoiseProtocol protocol(NoiseCipher cipher) {
        Objects.requireNonNull(cipher, "cipher");
        return cipher == NoiseCipher.CHACHA_POLY ? CHACHA_POLY : AES_GCM;
    }

    /**
     * Returns the prologue bytes.
     *
     * @return a fresh copy of {@code "securecomm/1"} in ASCII
     */
    public static byte[] prologue() {
        return PROLOGUE_TEXT.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Starts a client's handshake: the initiator, authenticating with its identity key.
     *
     * @param cipher the configured cipher; must match the relay's
     * @param clientIdentity the client's X25519 identity key pair, borrowed for the handshake
     * @param random the source of the ephemeral key
     * @return the handshake, whose first action is {@link HandshakeAction#WRITE_MESSAGE}
     */
    public static HandshakeState client(NoiseCipher cipher, NoiseKeyPair clientIdentity, SecureRandom random) {
        return HandshakeState.builder(protocol(cipher)).initiator().prologue(prologue())
                .localStatic(Objects.requireNonNull(clientIdentity, "clientIdentity")).psks(List.of())
                .random(random).build();
    }

    /**
     * Starts the relay's side of a handshake: the responder, authenticating with the relay's identity key.
     *
     * @param cipher the configured cipher; must match the client's
     * @param relayIdentity the relay's X25519 identity key pair, borrowed for the handshake
     * @param random the source of the ephemeral key
     * @return the handshake, whose first action is {@link HandshakeAction#READ_MESSAGE}
     */
    public static HandshakeState server(NoiseCipher cipher, NoiseKeyPair relayIdentity, SecureRandom random) {
        return HandshakeState.builder(protocol(cipher)).responder().prologue(prologue())
                .localStatic(Objects.requireNonNull(relayIdentity, "relayIdentity")).psks(List.of())
                .random(random).build();
    }
}
