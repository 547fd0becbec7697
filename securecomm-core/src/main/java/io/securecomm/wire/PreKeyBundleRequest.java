package io.securecomm.wire;

/**
 * Client to relay: asks for one pre-key bundle of another client, to start an end-to-end session with it. The relay
 * answers {@link PreKeyBundleResponse} (consuming one of the owner's one-time pre-keys) or {@link ErrorReply}.
 *
 * @param requestId chosen by the client, greater than 0, echoed in the answer
 * @param clientId the client whose bundle is wanted, at least 1
 */
public record PreKeyBundleRequest(long requestId, int clientId) implements Message {
    /**
     * Checks the fields.
     *
     * @param requestId chosen by the client, greater than 0, echoed in the answer
     * @param clientId the client whose bundle is wanted, at least 1
     * @throws IllegalArgumentException if a field is out of range or over its cap
     */
    public PreKeyBundleRequest {
        Fields.requestId(requestId);
        Fields.clientId(clientId, "clientId");
    }

    @Override
    public MessageType type() {
        return MessageType.PRE_KEY_BUNDLE_REQUEST;
    }
}
