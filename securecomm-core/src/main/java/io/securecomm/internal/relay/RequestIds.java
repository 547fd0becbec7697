package io.securecomm.internal.relay;

import io.securecomm.wire.AccountBundleRequest;
import io.securecomm.wire.ListPageRequest;
import io.securecomm.wire.ListRequest;
import io.securecomm.wire.Message;
import io.securecomm.wire.MessageType;
import io.securecomm.wire.PreKeyBundleRequest;
import io.securecomm.wire.ReleaseAccount;
import io.securecomm.wire.SendEnvelope;
import io.securecomm.wire.SendPrivate;
import io.securecomm.wire.SendPublic;
import io.securecomm.wire.SendRoomEnvelope;
import io.securecomm.wire.SendToAccount;
import io.securecomm.wire.UploadPreKeys;

/** The request id of each client request, in one place, so that every relay policy answers each kind. */
public final class RequestIds {
    private RequestIds() {}

    /**
     * Returns the request id a reply to this message carries.
     *
     * @param message a message from a client
     * @return its request id, or 0 for a message that is not a request (a ping, a pong, the hello, a goodbye)
     */
    public static long of(Message message) {
        return switch (message.type()) {
            case SEND_ROOM_ENVELOPE -> ((SendRoomEnvelope) message).requestId();
            case SEND_ENVELOPE -> ((SendEnvelope) message).requestId();
            case PRE_KEY_BUNDLE_REQUEST -> ((PreKeyBundleRequest) message).requestId();
            case UPLOAD_PRE_KEYS -> ((UploadPreKeys) message).requestId();
            case LIST_REQUEST -> ((ListRequest) message).requestId();
            case LIST_PAGE_REQUEST -> ((ListPageRequest) message).requestId();
            case SEND_PUBLIC -> ((SendPublic) message).requestId();
            case SEND_PRIVATE -> ((SendPrivate) message).requestId();
            case SEND_TO_ACCOUNT -> ((SendToAccount) message).requestId();
            case ACCOUNT_BUNDLE_REQUEST -> ((AccountBundleRequest) message).requestId();
            case RELEASE_ACCOUNT -> ((ReleaseAccount) message).requestId();
            default -> 0;
        };
    }

    /**
     * Returns the request id of a message that would start new work for the relay (a message to forward,
     * pre-keys to store, a bundle to hand out), which a relay that is shutting down refuses.
     *
     * @param message a message from a client
     * @return its request id, or 0 for anything else (a list or page request included: answering one is no new work)
     */
    public static long ofNewWork(Message message) {
        return message.type() == MessageType.LIST_REQUEST || message.type() == MessageType.LIST_PAGE_REQUEST
                ? 0 : of(message);
    }
}
