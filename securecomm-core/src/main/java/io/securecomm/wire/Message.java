package io.securecomm.wire;

/**
 * One message of wire protocol v1: the plaintext of exactly one Noise transport record.
 *
 * <p>Every message is an immutable record whose constructor checks the codec caps of {@link Limits}
 * (throwing {@link IllegalArgumentException}), so every message that can be constructed can be encoded by
 * {@link MessageCodec#encode(Message)} and decodes back to an equal record. Application rules (nickname
 * characters, empty or too-long text) are checked by the relay, not here.
 *
 * <p>Requests a client sends ({@link ListRequest}, {@link SendPublic}, {@link SendPrivate}) carry a
 * {@code requestId} chosen by the client, greater than 0, that the relay echoes in its {@link Delivered},
 * {@link ClientList} or {@link ErrorReply}. Client ids are assigned by the relay, starting at 1.
 *
 * <p>The end-to-end types ({@link UploadPreKeys}, {@link PreKeyBundleRequest}, {@link SendEnvelope},
 * {@link SendRoomEnvelope} and their answers) use the type-code range
 * {@link MessageType#E2E_RANGE_FIRST}..{@link MessageType#E2E_RANGE_LAST}; their byte fields are opaque to
 * the relay.
 */
public sealed interface Message
        permits ClientHello, Welcome, ListRequest, ClientList, SendPublic, PublicMessage, SendPrivate,
                PrivateMessage, Delivered, ErrorReply, Joined, Left, Ping, Pong, Bye, UploadPreKeys,
                PreKeyBundleRequest, PreKeyBundleResponse, PreKeyCount, SendEnvelope, Envelope, SendRoomEnvelope,
                RoomEnvelope, AccountHello, SendToAccount, DeliveryReport, StoredEnvelope, AckStored,
                AccountBundleRequest, AccountBundle, ReleaseAccount,
                ListPageRequest, ListPage {

    /**
     * Returns this message's type, which fixes its type code on the wire.
     *
     * @return the type
     */
    MessageType type();
}
