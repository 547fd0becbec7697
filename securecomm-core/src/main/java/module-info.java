/**
 * securecomm: secure messaging for the JVM.
 *
 * <p>Exported API packages:
 * <ul>
 *   <li>{@code io.securecomm} - the checked root exception shared by every package;</li>
 *   <li>{@code io.securecomm.crypto} - misuse-resistant building blocks on the JDK's JCA;</li>
 *   <li>{@code io.securecomm.crypto.insecure} - the original toy's broken primitives, for teaching only;</li>
 *   <li>{@code io.securecomm.wire} - the sans-I/O frame and message codec of wire protocol v1;</li>
 *   <li>{@code io.securecomm.noise} - the Noise Protocol Framework (revision 34), sans-I/O;</li>
 *   <li>{@code io.securecomm.e2e} - end-to-end sessions between clients (X3DH, Double Ratchet, sender keys);</li>
 *   <li>{@code io.securecomm.relay} - the relay server API;</li>
 *   <li>{@code io.securecomm.relay.store} - the relay's storage interface (accounts, pre-keys, queued
 *       messages) and its in-memory implementation; the durable one is in {@code securecomm-store-sqlite};</li>
 *   <li>{@code io.securecomm.client} - the chat client API.</li>
 * </ul>
 * Packages named {@code internal} are implementation details and are not exported.
 */
module io.securecomm.core {
    // Netty carries the network adapters only (io.securecomm.internal.netty); the epoll classes are
    // there so the adapters can ask whether the optional native transport loaded.
    requires io.netty.common;
    requires io.netty.buffer;
    requires io.netty.transport;
    requires io.netty.codec;
    requires io.netty.transport.classes.epoll;

    exports io.securecomm;
    exports io.securecomm.crypto;
    exports io.securecomm.crypto.insecure;
    exports io.securecomm.e2e;
    exports io.securecomm.noise;
    exports io.securecomm.wire;
    exports io.securecomm.relay;
    exports io.securecomm.relay.store;
    exports io.securecomm.client;
    // Each API package is exported here as it gains its first public type.

    // RelayServer.create and ChatClient.create find their implementations as services, so that the API packages
    // do not import the implementations that import them (META-INF/services names them for the class path).
    uses io.securecomm.relay.RelayServer.Provider;
    provides io.securecomm.relay.RelayServer.Provider with io.securecomm.internal.netty.NettyRelayServer.Provider;
    uses io.securecomm.client.ChatClient.Provider;
    provides io.securecomm.client.ChatClient.Provider with io.securecomm.internal.netty.NettyChatClient.Provider;
}
