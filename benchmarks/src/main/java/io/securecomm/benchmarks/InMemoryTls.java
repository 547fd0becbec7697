package io.securecomm.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * The JDK's TLS 1.3 {@link SSLEngine}, client and server, driven in memory: the baseline of the channel and
 * handshake suites.
 *
 * <p>The server's credential is an EC P-256 key with a self-signed certificate, made once per trial by running the
 * JDK's own {@code keytool} into a temporary PKCS#12 keystore (the JDK has no public API to make a certificate, and
 * this keeps key material out of the repository):
 * <pre>
 * keytool -genkeypair -keyalg EC -groupname secp256r1 -sigalg SHA256withECDSA -dname CN=localhost
 *         -validity 7 -alias bench -storetype PKCS12 -keystore TEMP -storepass benchmark
 * </pre>
 * The client trusts exactly that certificate. Engines are created without a peer host and port, so every
 * handshake is a full one (no session resumption). Key exchange is the JDK's default first group, x25519, the
 * same Diffie-Hellman as Noise's {@code 25519}.
 */
public final class InMemoryTls {
    private static final char[] PASSWORD = "benchmark".toCharArray();

    /** The TLS 1.3 cipher suite matching a Noise or AEAD cipher. */
    public enum Suite {
        /** {@code TLS_AES_256_GCM_SHA384}, AES-256 as in Noise's {@code AESGCM}. */
        AESGCM("TLS_AES_256_GCM_SHA384"),
        /** {@code TLS_CHACHA20_POLY1305_SHA256}. */
        CHACHAPOLY("TLS_CHACHA20_POLY1305_SHA256");

        private final String jsseName;

        Suite(String jsseName) {
            this.jsseName = jsseName;
        }

        /**
         * Returns the JSSE name.
         *
         * @return the cipher suite name
         */
        public String jsseName() {
            return jsseName;
        }
    }

    private final SSLContext context;
    private final Suite suite;

    private InMemoryTls(SSLContext context, Suite suite) {
        this.context = context;
        this.suite = suite;
    }

    /**
     * Makes the credential with {@code keytool} and the TLS 1.3 context.
     *
     * @param suite the only cipher suite either side enables
     * @return the factory of engine pairs
     * @throws GeneralSecurityException if the JDK cannot set up TLS 1.3
     * @throws IOException if {@code keytool} fails
     */
    public static InMemoryTls create(Suite suite) throws GeneralSecurityException, IOException {
        Path dir = Files.createTempDirectory("securecomm-bench-tls");
        Path store = dir.resolve("bench.p12");
        try {
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            Process process = new ProcessBuilder(List.of(keytool, "-genkeypair", "-keyalg", "EC",
                    "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA", "-dname", "CN=localhost",
                    "-validity", "7", "-alias", "bench", "-storetype", "PKCS12", "-keystore", store.toString(),
                    "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)))
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("keytool failed: " + output);
            }
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                keyStore.load(in, PASSWORD);
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
            kmf.init(keyStore, PASSWORD);
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("bench", keyStore.getCertificate("bench"));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLSv1.3");
            context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return new InMemoryTls(context, suite);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while keytool ran", e);
        } finally {
            Files.deleteIfExists(store);
            Files.deleteIfExists(dir);
        }
    }

    /**
     * Creates a client and a server engine, neither started.
     *
     * @return the pair
     */
    public Pair newPair() {
        SSLEngine client = context.createSSLEngine();
        client.setUseClientMode(true);
        SSLEngine server = context.createSSLEngine();
        server.setUseClientMode(false);
        for (SSLEngine e : new SSLEngine[] {client, server}) {
            e.setEnabledProtocols(new String[] {"TLSv1.3"});
            e.setEnabledCipherSuites(new String[] {suite.jsseName()});
        }
        return new Pair(client, server);
    }

    /** A client and a server engine with the buffers between them. */
    public static final class Pair {
        /** The client engine. */
        public final SSLEngine client;
        /** The server engine. */
        public final SSLEngine server;
        private final ByteBuffer clientToServer;
        private final ByteBuffer serverToClient;
        private final ByteBuffer clientApp;
        private final ByteBuffer serverApp;
        private final ByteBuffer empty = ByteBuffer.allocate(0);

        Pair(SSLEngine client, SSLEngine server) {
            this.client = client;
            this.server = server;
            int net = Math.max(client.getSession().getPacketBufferSize(), server.getSession().getPacketBufferSize());
            int app = Math.max(client.getSession().getApplicationBufferSize(),
                    server.getSession().getApplicationBufferSize());
            clientToServer = ByteBuffer.allocate(net * 4);
            serverToClient = ByteBuffer.allocate(net * 4);
            clientApp = ByteBuffer.allocate(app * 2);
            serverApp = ByteBuffer.allocate(app * 2);
        }

        /**
         * Runs a complete handshake, including the server's post-handshake session ticket, in memory.
         *
         * @throws SSLException if the handshake fails
         */
        public void handshake() throws SSLException {
            client.beginHandshake();
            server.beginHandshake();
            for (int rounds = 0; rounds < 100; rounds++) {
                boolean progress = step(client, clientToServer, serverToClient, clientApp);
                progress |= step(server, serverToClient, clientToServer, serverApp);
                if (!progress && done(client) && done(server)
                        && clientToServer.position() == 0 && serverToClient.position() == 0) {
                    return;
                }
            }
            throw new SSLException("TLS handshake did not finish in 100 rounds");
        }

        private static boolean done(SSLEngine engine) {
            return engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING;
        }

        /** One engine: run tasks, wrap what it wants to send, unwrap what it has received. */
        private boolean step(SSLEngine engine, ByteBuffer out, ByteBuffer in, ByteBuffer app) throws SSLException {
            boolean progress = false;
            Runnable task;
            while ((task = engine.getDelegatedTask()) != null) {
                task.run();
                progress = true;
            }
            while (engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                SSLEngineResult r = engine.wrap(empty, out);
                if (r.bytesProduced() == 0 && r.getStatus() != SSLEngineResult.Status.OK) {
                    break;
                }
                progress = true;
                while ((task = engine.getDelegatedTask()) != null) {
                    task.run();
                }
            }
            in.flip();
            try {
                while (in.hasRemaining()) {
                    SSLEngineResult r = engine.unwrap(in, app);
                    while ((task = engine.getDelegatedTask()) != null) {
                        task.run();
                    }
                    if (r.bytesConsumed() == 0) {
                        break;
                    }
                    progress = true;
                }
            } finally {
                in.compact();
            }
            app.clear();
            return progress;
        }

        /**
         * Sends one record from the client (wrap) and receives it at the server (unwrap).
         *
         * @param plaintext the plaintext, read from position to limit; its position is restored
         * @param received receives the plaintext; cleared first
         * @return the record length on the wire
         * @throws SSLException if TLS fails
         */
        public int clientToServer(ByteBuffer plaintext, ByteBuffer received) throws SSLException {
            int start = plaintext.position();
            clientToServer.clear();
            SSLEngineResult wrapped = client.wrap(plaintext, clientToServer);
            if (wrapped.getStatus() != SSLEngineResult.Status.OK) {
                throw new SSLException("wrap: " + wrapped);
            }
            clientToServer.flip();
            received.clear();
            while (clientToServer.hasRemaining()) {
                SSLEngineResult r = server.unwrap(clientToServer, received);
                if (r.getStatus() != SSLEngineResult.Status.OK) {
                    throw new SSLException("unwrap: " + r);
                }
            }
            plaintext.position(start);
            return wrapped.bytesProduced();
        }

        /** Closes both engines without a close_notify exchange. */
        public void close() {
            client.closeOutbound();
            server.closeOutbound();
        }
    }
}
