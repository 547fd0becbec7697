package io.securecomm.benchmarks.relay;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Connects Eclipse Paho MQTT v3.1.1 clients to a broker over TLS, QoS 0: every client subscribes to one public
 * topic (the fan-out) and to its own private topic. MQTT 3.1.1 has no "no local" option, so the broker also sends
 * each public message back to its sender; the harness discards those copies, but the broker does that work.
 */
final class MqttClients {
    static final String PUBLIC_TOPIC = "securecomm-bench/public";
    static final String PRIVATE_PREFIX = "securecomm-bench/to/";

    private MqttClients() {}

    /**
     * Clients whose connections are opened at once: each TLS handshake waits on the broker's single thread, so a
     * client at a time left the machine idle between round trips (1,000 clients did not connect within 150 s on a
     * loaded machine), and all at once would make mosquitto's listen backlog and Paho's threads the bottleneck.
     */
    static final int CONNECT_BATCH = 32;
    /** How long one batch may take to connect and subscribe, in milliseconds. */
    private static final long BATCH_TIMEOUT_MILLIS = 60_000;

    static List<LoadClient> connect(int port, Path caCertificate, int count, Receiver receiver)
            throws MqttException, IOException, GeneralSecurityException {
        SSLContext tls = trusting(caCertificate);
        MqttConnectOptions options = new MqttConnectOptions();
        options.setSocketFactory(tls.getSocketFactory());
        options.setCleanSession(true);
        options.setMaxInflight(65535);
        options.setKeepAliveInterval(60);
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        List<LoadClient> clients = new ArrayList<>(count);
        try {
            for (int first = 0; first < count; first += CONNECT_BATCH) {
                List<MqttAsyncClient> batch = new ArrayList<>();
                List<IMqttToken> pending = new ArrayList<>();
                for (int i = first; i < Math.min(count, first + CONNECT_BATCH); i++) {
                    MqttAsyncClient client = create(port, i, receiver);
                    batch.add(client);
                    clients.add(new Adapter(client));
                    pending.add(client.connect(options));
                }
                awaitAll(pending);
                pending.clear();
                for (int k = 0; k < batch.size(); k++) {
                    pending.add(batch.get(k).subscribe(new String[] {PUBLIC_TOPIC, PRIVATE_PREFIX + (first + k)},
                            new int[] {0, 0}));
                }
                awaitAll(pending);
            }
        } catch (MqttException | RuntimeException e) {
            for (LoadClient c : clients) {
                c.close();
            }
            throw e;
        }
        return clients;
    }

    private static void awaitAll(List<IMqttToken> tokens) throws MqttException {
        long deadline = System.nanoTime() + BATCH_TIMEOUT_MILLIS * 1_000_000;
        for (IMqttToken t : tokens) {
            t.waitForCompletion(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
    }

    private static MqttAsyncClient create(int port, int index, Receiver receiver) throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient("ssl://127.0.0.1:" + port, "securecomm-bench-" + index,
                new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                System.err.println("mqtt client " + index + " lost its connection: " + cause);
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                receiver.onMessage(index, new String(message.getPayload(), StandardCharsets.UTF_8));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
                // QoS 0: nothing to track.
            }
        });
        return client;
    }

    private static SSLContext trusting(Path caCertificate) throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caCertificate)) {
            trust.setCertificateEntry("broker", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    private record Adapter(MqttAsyncClient client) implements LoadClient {
        @Override
        public CompletableFuture<Void> sendPublic(String text) {
            return publish(PUBLIC_TOPIC, text);
        }

        @Override
        public CompletableFuture<Void> sendPrivate(int recipient, String text) {
            return publish(PRIVATE_PREFIX + recipient, text);
        }

        private CompletableFuture<Void> publish(String topic, String text) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            try {
                client.publish(topic, text.getBytes(StandardCharsets.UTF_8), 0, false, null,
                        new IMqttActionListener() {
                            @Override
                            public void onSuccess(IMqttToken token) {
                                done.complete(null);
                            }

                            @Override
                            public void onFailure(IMqttToken token, Throwable failure) {
                                done.completeExceptionally(failure);
                            }
                        });
            } catch (MqttException e) {
                done.completeExceptionally(e);
            }
            return done;
        }

        @Override
        public void close() {
            try {
                if (client.isConnected()) {
                    client.disconnect().waitForCompletion(5_000);
                }
                client.close(true);
            } catch (MqttException e) {
                System.err.println("mqtt client close: " + e.getMessage());
            }
        }
    }
}
