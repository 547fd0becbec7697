package io.securecomm.benchmarks.relay;

import io.securecomm.internal.noise.HopCipher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * A harness workload.
 *
 * @param peer which server: {@code securecomm} (a relay the harness starts) or {@code mosquitto} (a running
 *     broker, see {@code benchmarks/mosquitto/run.sh})
 * @param clients connected clients
 * @param mix which messages: public, private or both (alternating)
 * @param messages messages sent in total, spread round-robin over the clients
 * @param warmupMessages messages sent first, the same way, and not measured (warms the JIT)
 * @param payloadBytes text bytes per message
 * @param ratePerSecond offered messages per second in total; 0 for as fast as the windows allow
 * @param window messages a client may have outstanding (not yet accepted by the server)
 * @param timeLimit the run gives up waiting for deliveries after this long
 * @param mqttPort the broker's TLS port
 * @param mqttCaFile the broker's certificate, trusted by the MQTT clients
 * @param mqttPidFile the file holding the broker's process id
 * @param relayOnly securecomm only: clients that forward pre-made envelopes ({@link RelayOnlyClients}), so that a
 *     client's work per message is the hop's record only, like an MQTT client's, and the relay's cost shows; the
 *     MQTT clients are always like that
 * @param nodes securecomm only: 0 for one relay on its own; N for a relay cluster of N nodes on a Redis the harness
 *     starts ({@link ClusterUnderTest}), the clients connected to the nodes in turn
 * @param noiseCipher securecomm only: how the hop between client and relay chooses its cipher ({@link HopCipher}):
 *     {@link HopCipher#AUTO}, the default of the relay and the chat client (negotiated: AES-GCM where both JVMs use
 *     AES instructions); or one cipher on both sides, {@link HopCipher#CHACHA_POLY} (wire protocol v1 without an
 *     offer) or {@link HopCipher#AES_GCM}, the relay's JVM started with {@code -Dsecurecomm.noise.cipher=...}, with
 *     relay-only clients on one relay only
 */
public record LoadConfig(String peer, int clients, Mix mix, int messages, int warmupMessages,
        int payloadBytes, int ratePerSecond,
        int window, Duration timeLimit, int mqttPort, Path mqttCaFile, Path mqttPidFile, boolean relayOnly,
        int nodes, HopCipher noiseCipher) {

    /** Which messages the harness sends. */
    public enum Mix {
        /** Public messages only: each fans out to every other client. */
        PUBLIC,
        /** Private messages only, each to one other client. */
        PRIVATE,
        /** Alternately public and private. */
        BOTH
    }

    /** The smallest text that holds the sender, sequence number and send time. */
    public static final int MIN_PAYLOAD_BYTES = 48;

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if a value is out of range
     */
    public LoadConfig {
        if (clients < 2 || messages < 1 || warmupMessages < 0 || payloadBytes < MIN_PAYLOAD_BYTES || payloadBytes > 4096
                || ratePerSecond < 0 || window < 1 || nodes < 0) {
            throw new IllegalArgumentException("need clients >= 2, messages >= 1, payload " + MIN_PAYLOAD_BYTES
                    + "..4096 bytes, rate >= 0, window >= 1, nodes >= 0");
        }
        Objects.requireNonNull(noiseCipher, "noiseCipher");
        if (noiseCipher != HopCipher.AUTO && !(peer.equals("securecomm") && relayOnly && nodes == 0)) {
            // The end-to-end clients and the cluster's nodes take the hop's cipher from their JVM's property, which
            // the harness does not set; mosquitto has no Noise hop.
            throw new IllegalArgumentException("the hop cipher " + noiseCipher.propertyValue()
                    + " needs --relay-only clients on one securecomm relay (no --nodes)");
        }
    }

    /**
     * A workload with end-to-end clients ({@code relayOnly} false).
     *
     * @param peer as the canonical constructor
     * @param clients as the canonical constructor
     * @param mix as the canonical constructor
     * @param messages as the canonical constructor
     * @param warmupMessages as the canonical constructor
     * @param payloadBytes as the canonical constructor
     * @param ratePerSecond as the canonical constructor
     * @param window as the canonical constructor
     * @param timeLimit as the canonical constructor
     * @param mqttPort as the canonical constructor
     * @param mqttCaFile as the canonical constructor
     * @param mqttPidFile as the canonical constructor
     */
    public LoadConfig(String peer, int clients, Mix mix, int messages, int warmupMessages, int payloadBytes,
            int ratePerSecond, int window, Duration timeLimit, int mqttPort, Path mqttCaFile, Path mqttPidFile) {
        this(peer, clients, mix, messages, warmupMessages, payloadBytes, ratePerSecond, window, timeLimit, mqttPort,
                mqttCaFile, mqttPidFile, false, 0, HopCipher.AUTO);
    }

    /**
     * The same workload with relay-only clients or not.
     *
     * @param relayOnly see {@link #relayOnly()}
     * @return a copy with that choice
     */
    public LoadConfig withRelayOnly(boolean relayOnly) {
        return new LoadConfig(peer, clients, mix, messages, warmupMessages, payloadBytes, ratePerSecond, window,
                timeLimit, mqttPort, mqttCaFile, mqttPidFile, relayOnly, nodes, noiseCipher);
    }

    /**
     * The same workload on a relay cluster of {@code nodes} nodes, or on one relay on its own (0).
     *
     * @param nodes see {@link #nodes()}
     * @return a copy with that choice
     */
    public LoadConfig withNodes(int nodes) {
        return new LoadConfig(peer, clients, mix, messages, warmupMessages, payloadBytes, ratePerSecond, window,
                timeLimit, mqttPort, mqttCaFile, mqttPidFile, relayOnly, nodes, noiseCipher);
    }

    /**
     * The same workload with the hop's cipher chosen as {@code noiseCipher} says.
     *
     * @param noiseCipher see {@link #noiseCipher()}
     * @return a copy with that choice
     * @throws IllegalArgumentException if the workload cannot use that cipher (see {@link #noiseCipher()})
     */
    public LoadConfig withNoiseCipher(HopCipher noiseCipher) {
        return new LoadConfig(peer, clients, mix, messages, warmupMessages, payloadBytes, ratePerSecond, window,
                timeLimit, mqttPort, mqttCaFile, mqttPidFile, relayOnly, nodes, noiseCipher);
    }

    /**
     * Returns the defaults: 100 clients, 1000 warm-up then 2000 public messages of 64 bytes, as
     * fast as possible, window 8, 120 s.
     *
     * @return the default workload
     */
    public static LoadConfig defaults() {
        return new LoadConfig("securecomm", 100, Mix.PUBLIC, 2000, 1000, 64, 0, 8, Duration.ofSeconds(120), 8883,
                Path.of("benchmarks/mosquitto/work/server.crt"), Path.of("benchmarks/mosquitto/work/mosquitto.pid"));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d %sclients, %d %s messages of %d bytes, %s, window %d%s%s", clients,
                relayOnly && peer.equals("securecomm") ? "relay-only " : "", messages,
                mix.name().toLowerCase(Locale.ROOT), payloadBytes,
                ratePerSecond == 0 ? "as fast as possible" : "offered " + ratePerSecond + " msg/s", window,
                nodes > 0 && peer.equals("securecomm") ? ", on " + nodes + " cluster node" + (nodes > 1 ? "s" : "")
                        + " (clients spread over them in turn)" : "",
                noiseCipher != HopCipher.AUTO ? ", hop " + noiseCipher.propertyValue() : "");
    }
}
