package io.securecomm.benchmarks.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.client.ChatClient;
import io.securecomm.client.ChatClientOptions;
import io.securecomm.client.ChatListener;
import io.securecomm.client.HandshakeFailedException;
import io.securecomm.client.RelayTrustStore;
import io.securecomm.internal.noise.HopCipher;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The hop cipher's system property is read once per JVM, so its refusal is tested in a child JVM: the harness's relay
 * ({@link RelayProcess#main}) with a value that names no mode must not start, and must say why; and a relay on
 * AES-GCM only meets a default client, which offers AES-GCM where its JVM uses AES instructions and is otherwise told
 * which property the two must agree on.
 */
class HopCipherPropertyTest {
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aRelayWhosePropertyNamesNoCipherRefusesToStart() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(List.of(java, "-Xmx256m", "-D" + HopCipher.PROPERTY + "=AES-GCM", "-cp",
                System.getProperty("java.class.path"), RelayProcess.class.getName(), "3", "30"))
                .redirectErrorStream(true).start();
        child.getOutputStream().close();
        String output;
        try (InputStream in = child.getInputStream()) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            output = all.toString(StandardCharsets.UTF_8);
        }
        assertTrue(child.waitFor(30, TimeUnit.SECONDS), output);
        assertNotEquals(0, child.exitValue(), output);
        assertFalse(output.contains("READY"), "the relay never listened: " + output);
        assertTrue(output.contains(HopCipher.PROPERTY + " is 'AES-GCM'; expected 'auto', 'ChaChaPoly' or 'AESGCM'"),
                output);
        assertEquals(-1, output.indexOf("relay listening"), output);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aRelayOnAesGcmOnlyMeetsADefaultClientIfItsJvmUsesAesInstructions() throws Exception {
        try (RelayProcess relay = RelayProcess.start(4, Duration.ofSeconds(5), "256m", HopCipher.AES_GCM);
                ChatClient client = ChatClient.create(ChatClientOptions.builder("127.0.0.1", relay.port())
                        .nickname("alice").trustStore(RelayTrustStore.trustOnFirstUseInMemory()).build(),
                        new ChatListener() {})) {
            if (HopCipher.aesInstructions()) {
                // The default client offers AES-GCM, which a relay on AES-GCM only reads message 1 under anyway.
                client.connect().get(30, TimeUnit.SECONDS);
                assertTrue(client.isConnected());
                return;
            }
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> client.connect().get(30, TimeUnit.SECONDS));
            HandshakeFailedException mismatch = assertInstanceOf(HandshakeFailedException.class, failed.getCause());
            assertTrue(mismatch.getMessage().contains("this client's setting is auto, from the system property "
                    + HopCipher.PROPERTY), mismatch.getMessage());
        }
    }
}
