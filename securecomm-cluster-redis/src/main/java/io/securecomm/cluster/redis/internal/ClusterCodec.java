package io.securecomm.cluster.redis.internal;

import io.securecomm.relay.cluster.ClientPresence;
import io.securecomm.relay.cluster.RouteOutcome;
import io.securecomm.relay.cluster.RoutedMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary forms the cluster keeps in Redis and sends between nodes. Every form starts with a version byte (1), so
 * nodes of a later release can tell an older form apart. Strings are Java's modified UTF-8 ({@link DataOutputStream}).
 *
 * <pre>
 * presence:  1 | client id (int) | nickname (UTF) | node id (UTF) | key length (short) | identity key
 * routed:    1 | sender node (UTF) | sender id (int) | recipient count (int) | ids (int each) | account (UTF)
 *              | last stored id (long) | message length (int) | encoded message
 * outcomes:  one byte per recipient: the {@link RouteOutcome}'s ordinal
 * </pre>
 *
 * <p>A presence in the directory carries no room flag: the room is a set of its own. Stateless.
 */
public final class ClusterCodec {
    private static final int VERSION = 1;

    private ClusterCodec() {}

    /**
     * A presence, without its room flag.
     *
     * @param p the presence
     * @return its form
     */
    public static byte[] presence(ClientPresence p) {
        return write(out -> {
            out.writeInt(p.clientId());
            out.writeUTF(p.nickname());
            out.writeUTF(p.nodeId());
            byte[] key = p.identityKey();
            out.writeShort(key.length);
            out.write(key);
        });
    }

    /**
     * Reads a presence.
     *
     * @param form its form
     * @param inRoom whether it is in the room
     * @return the presence
     * @throws IllegalArgumentException if the form is malformed
     */
    public static ClientPresence presence(byte[] form, boolean inRoom) {
        try (DataInputStream in = open(form)) {
            int id = in.readInt();
            String nickname = in.readUTF();
            String node = in.readUTF();
            byte[] key = new byte[in.readUnsignedShort()];
            in.readFully(key);
            return new ClientPresence(id, nickname, key, node, inRoom);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("a malformed presence in Redis (" + form.length + " bytes)", e);
        }
    }

    /**
     * A routed message.
     *
     * @param m the message
     * @return its form
     */
    public static byte[] routed(RoutedMessage m) {
        return write(out -> {
            out.writeUTF(m.senderNode());
            out.writeInt(m.senderId());
            int[] ids = m.recipientIds();
            out.writeInt(ids.length);
            for (int id : ids) {
                out.writeInt(id);
            }
            out.writeUTF(m.recipientAccount());
            out.writeLong(m.lastStoredId());
            byte[] encoded = m.encoded();
            out.writeInt(encoded.length);
            out.write(encoded);
        });
    }

    /**
     * Reads a routed message.
     *
     * @param form its form
     * @return the message
     * @throws IllegalArgumentException if the form is malformed
     */
    public static RoutedMessage routed(byte[] form) {
        try (DataInputStream in = open(form)) {
            String node = in.readUTF();
            int sender = in.readInt();
            int count = in.readInt();
            if (count < 1 || count > form.length / Integer.BYTES) {
                throw new IOException("recipient count " + count);
            }
            int[] ids = new int[count];
            for (int i = 0; i < count; i++) {
                ids[i] = in.readInt();
            }
            String account = in.readUTF();
            long lastStored = in.readLong();
            int length = in.readInt();
            if (length < 1 || length > form.length) {
                throw new IOException("message length " + length);
            }
            byte[] encoded = new byte[length];
            in.readFully(encoded);
            return new RoutedMessage(node, sender, ids, account, lastStored, encoded);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("a malformed routed message (" + form.length + " bytes)", e);
        }
    }

    /**
     * Route outcomes.
     *
     * @param outcomes one per recipient
     * @return their form
     */
    public static byte[] outcomes(List<RouteOutcome> outcomes) {
        byte[] b = new byte[outcomes.size()];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) outcomes.get(i).ordinal();
        }
        return b;
    }

    /**
     * Reads route outcomes; an unknown ordinal reads as {@link RouteOutcome#NOT_DELIVERED}.
     *
     * @param form their form
     * @return the outcomes
     */
    public static List<RouteOutcome> outcomes(byte[] form) {
        RouteOutcome[] all = RouteOutcome.values();
        List<RouteOutcome> out = new ArrayList<>(form.length);
        for (byte b : form) {
            out.add(b >= 0 && b < all.length ? all[b] : RouteOutcome.NOT_DELIVERED);
        }
        return out;
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] write(Writer w) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            w.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    private static DataInputStream open(byte[] form) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(form));
        int version = in.readUnsignedByte();
        if (version != VERSION) {
            throw new IOException("version " + version + ", this node reads " + VERSION);
        }
        return in;
    }
}
