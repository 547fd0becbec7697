package io.securecomm.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.securecomm.client.MessageRejectedException;
import io.securecomm.client.OnlineClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lines the terminal client prints for listener events that no scripted session provokes reliably. */
class ChatConsoleTest {
    @Test
    void aRoomKeyThatDidNotReachAMemberIsShownAsSuchNotAsARelayError() {
        List<String> lines = new ArrayList<>();
        ChatConsole console = new ChatConsole(lines::add);
        MessageRejectedException cause = new MessageRejectedException(MessageRejectedException.Reason.NO_PRE_KEYS,
                "this client's room key did not reach bob, who cannot read this client's public messages until it"
                        + " does; it is left out of them and tried again (first in 30 s): bob has no pre-keys");
        console.onRoomKeyNotDelivered(new OnlineClient(2, "bob", new byte[32]), cause);
        assertEquals(List.of("! bob cannot read your public messages yet: " + cause.getMessage()), lines,
                "the member, why and when it is tried again, as the error line said it");
    }
}
