package io.securecomm.internal.netty;

import io.securecomm.wire.ListRequest;
import io.securecomm.wire.Message;
import io.securecomm.wire.PreKeyBundleRequest;
import io.securecomm.wire.SendEnvelope;
import io.securecomm.wire.SendPrivate;
import io.securecomm.wire.SendPublic;
import io.securecomm.wire.SendRoomEnvelope;
import io.securecomm.wire.UploadPreKeys;

/** The request id of each client request, in one place, so that every relay policy answers each kind. */
final class RequestIds {
    private RequestIds() {}

    /**
     * Returns the request id a reply to this message carries.
     *
     * @param message a message from a client
     * @return its request id, or 0 for a message that is not a request (a ping, a pong, the hello, a goodbye)
     */
    static long of(Message message) {
        if (message instanceof SendRoomEnvelope m) {
            return m.requestId();
        } else if (message instanceof SendEnvelope m) {
            return m.requestId();
        } else if (message instanceof PreKeyBundleRequest m) {
            return m.requestId();
        } else if (message instanceof UploadPreKeys m) {
            return m.requestId();
        } else if (message instanceof ListRequest m) {
            return m.requestId();
        } else if (message instanceof SendPublic m) {
            return m.requestId();
        } else if (message instanceof SendPrivate m) {
            return m.requestId();
        }
        return 0;
    }
}
