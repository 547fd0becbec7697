/**
 * securecomm: end-to-end encrypted chat for the JVM. Clients reach each other through a relay over the Noise
 * protocol ({@code Noise_XX_25519_ChaChaPoly_SHA256}); private messages are encrypted end to end with PQXDH (X25519
 * and ML-KEM-1024) and the Double Ratchet, room messages with sender keys, so the relay forwards ciphertext it cannot
 * read. Every primitive comes from the JDK or, for X25519, Ed25519 and ML-KEM-1024, Bouncy Castle's lightweight code,
 * composed as the published specifications say and checked against their test vectors.
 *
 * <h2 id="quick-start">Quick start</h2>
 *
 * <p>Import the BOM, which gives every securecomm module one version, then add the modules without versions:
 * <pre>{@code
 * <dependencyManagement>
 *   <dependencies>
 *     <dependency>
 *       <groupId>io.securecomm</groupId>
 *       <artifactId>securecomm-bom</artifactId>
 *       <version>0.1.0-SNAPSHOT</version>
 *       <type>pom</type>
 *       <scope>import</scope>
 *     </dependency>
 *   </dependencies>
 * </dependencyManagement>
 *
 * <dependencies>
 *   <dependency>
 *     <groupId>io.securecomm</groupId>
 *     <artifactId>securecomm-core</artifactId>
 *   </dependency>
 * </dependencies>
 * }</pre>
 *
 * <p>A relay on the loopback interface and two clients, Alice sending Bob one end-to-end encrypted message
 * (this is {@code QuickStart.java} in {@code securecomm-examples}, which the tests run):
 * <pre>{@code
 * try (RelayServer relay = RelayServer.create(
 *         RelayOptions.builder().bindAddress("127.0.0.1").port(0).build()).start()) {
 *     // The clients trust exactly this relay's key, which we have: nothing is trusted on first use.
 *     RelayTrustStore relayKey = RelayTrustStore.knownKey(relay.identityPublicKey());
 *
 *     // Bob prints what he receives; listener callbacks run on Bob's event thread.
 *     CompletableFuture<ChatMessage> received = new CompletableFuture<>();
 *     ChatListener bobListener = new ChatListener() {
 *         @Override
 *         public void onMessage(ChatMessage message) {
 *             System.out.println("bob got from " + message.senderNickname() + ": " + message.text());
 *             received.complete(message);
 *         }
 *     };
 *
 *     try (ChatClient alice = ChatClient.create(ChatClientOptions.builder(relay.localAddress())
 *                     .nickname("alice").trustStore(relayKey).build(), new ChatListener() {});
 *             ChatClient bob = ChatClient.create(ChatClientOptions.builder(relay.localAddress())
 *                     .nickname("bob").trustStore(relayKey).build(), bobListener)) {
 *         alice.connect().await();   // Noise handshake, then hello; throws the client's own exception
 *         bob.connect().await();
 *
 *         // Completes once the relay has written the message to Bob's connection.
 *         alice.sendPrivate("bob", "Hello, Bob!").await();
 *         received.get(10, TimeUnit.SECONDS);
 *     }
 * }
 * }</pre>
 *
 * <p>From there: {@link io.securecomm.relay.RelayOptions} for the relay's limits and its identity key
 * ({@link io.securecomm.relay.RelayKeyFile} keeps it across restarts); {@link io.securecomm.client.ChatClientOptions}
 * for a client's persistent end-to-end store ({@link io.securecomm.e2e.FileProtocolStore}) and relay pinning
 * ({@link io.securecomm.client.RelayTrustStore#knownRelaysFile}); {@link io.securecomm.client.ChatListener} for
 * everything a client receives, on which thread.
 *
 * <h2 id="package-map">Package map</h2>
 *
 * <table class="striped">
 *   <caption>The exported packages, from the applications' API down to the primitives</caption>
 *   <thead>
 *     <tr><th scope="col">Package</th><th scope="col">What it is for</th><th scope="col">Start with</th></tr>
 *   </thead>
 *   <tbody>
 *     <tr><th scope="row">{@link io.securecomm.client}</th>
 *         <td>the chat client: connect, send public and private messages, list clients, verify peers</td>
 *         <td>{@link io.securecomm.client.ChatClient}</td></tr>
 *     <tr><th scope="row">{@link io.securecomm.relay}</th>
 *         <td>the relay server: options, limits, lifecycle, events, metrics</td>
 *         <td>{@link io.securecomm.relay.RelayServer}</td></tr>
 *     <tr><th scope="row">{@link io.securecomm.relay.store}</th>
 *         <td>the relay's storage interface (accounts, pre-keys, queued messages) and its in-memory store; the
 *             durable one is {@code SqliteRelayStore} in {@code securecomm-store-sqlite}</td>
 *         <td>{@link io.securecomm.relay.store.RelayStore}</td></tr>
 *     <tr><th scope="row">{@link io.securecomm.e2e}</th>
 *         <td>end-to-end sessions between clients, sans-I/O: PQXDH, the Double Ratchet, sender keys, safety
 *             numbers, stores</td>
 *         <td>{@link io.securecomm.e2e.SessionCipher}, {@link io.securecomm.e2e.GroupCipher}</td></tr>
 *     <tr><th scope="row">{@link io.securecomm.noise}</th>
 *         <td>the Noise Protocol Framework (revision 34), sans-I/O: handshakes and the secure channel</td>
 *         <td>{@link io.securecomm.noise.HandshakeState}</td></tr>
 *     <tr><th scope="row">{@link io.securecomm.wire}</th>
 *         <td>wire protocol v1, sans-I/O: framing and the message codec</td>
 *         <td>{@link io.securecomm.wire.MessageCodec}</td></tr>
 *     <tr><th scope="row">{@link io.securecomm.crypto}</th>
 *         <td>misuse-resistant building blocks on the JDK's JCA (and Bouncy Castle for X25519 and Ed25519): AEAD,
 *             HKDF, key exchange, fingerprints</td>
 *         <td>{@link io.securecomm.crypto.Aead}</td></tr>
 *     <tr><th scope="row">{@link io.securecomm}</th>
 *         <td>{@link io.securecomm.SecureCommException}, the checked root of every failure a peer can cause</td>
 *         <td></td></tr>
 *     <tr><th scope="row">{@link io.securecomm.crypto.insecure}</th>
 *         <td><strong>INSECURE</strong>, for teaching only: the original toy's broken primitives and protocol</td>
 *         <td></td></tr>
 *   </tbody>
 * </table>
 *
 * <p>Packages named {@code internal} are implementation details and are not exported. Parameters are non-null
 * unless documented otherwise. The protocol, the design and the threat model are in the repository's
 * {@code docs/} folder: {@code PROTOCOL.md}, {@code ARCHITECTURE.md}, {@code E2E.md}, {@code RELAY.md} and
 * {@code SECURITY.md}.
 */
module io.securecomm.core {
    // Netty carries the network adapters only (io.securecomm.internal.netty); the epoll classes are
    // there so the adapters can ask whether the optional native transport loaded.
    requires io.netty.common;
    requires io.netty.buffer;
    requires io.netty.transport;
    requires io.netty.codec;
    requires io.netty.transport.classes.epoll;
    // Bouncy Castle's lightweight X25519, Ed25519 and ML-KEM-1024 (io.securecomm.crypto.internal) and the Noise
    // transport's optional ChaCha20-Poly1305 (io.securecomm.noise.internal); never registered as a JCA provider.
    requires org.bouncycastle.provider;
    // HotSpot's UseAES flag, read once: whether the hop offers (client) or accepts (relay) AES-GCM
    // (io.securecomm.internal.noise.HopCipher). A JDK module; java.management comes with it.
    requires jdk.management;

    exports io.securecomm;
    exports io.securecomm.crypto;
    exports io.securecomm.crypto.insecure;
    exports io.securecomm.e2e;
    exports io.securecomm.noise;
    exports io.securecomm.wire;
    exports io.securecomm.relay;
    exports io.securecomm.relay.store;
    exports io.securecomm.relay.cluster;
    exports io.securecomm.client;
    // Each API package is exported here as it gains its first public type.

    // RelayServer.create and ChatClient.create find their implementations as services, so that the API packages
    // do not import the implementations that import them (META-INF/services names them for the class path).
    uses io.securecomm.relay.RelayServer.Provider;
    provides io.securecomm.relay.RelayServer.Provider with io.securecomm.internal.netty.NettyRelayServer.Provider;
    uses io.securecomm.client.ChatClient.Provider;
    provides io.securecomm.client.ChatClient.Provider with io.securecomm.internal.netty.NettyChatClient.Provider;
}
