package io.securecomm.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

class MessagePropertiesTest {

    // ---- generators: every field anywhere within its cap, Unicode beyond the BMP included ----

    /** Strings of arbitrary scalar values (no lone surrogates), at most {@code maxBytes} in UTF-8. */
    static Arbitrary<String> utf8(int maxBytes) {
        Arbitrary<Integer> codePoint = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.integers().between(0x20, 0x7E)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 0x10FFFF)
                        .filter(cp -> cp < 0xD800 || cp > 0xDFFF)));
        Arbitrary<String> any = codePoint.list().ofMaxSize(maxBytes).map(cps -> {
            StringBuilder sb = new StringBuilder();
            int bytes = 0;
            for (int cp : cps) {
                int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
                if (bytes + len > maxBytes) {
                    break;
                }
                bytes += len;
                sb.appendCodePoint(cp);
            }
            return sb.toString();
        });
        // Mix in strings filled to exactly the cap, the edge where off-by-one errors live.
        return Arbitraries.oneOf(any, Arbitraries.of("", "x".repeat(maxBytes), "\u00e9".repeat(maxBytes / 2)));
    }

    /** Distinct client ids, as a room envelope lists them. */
    static Arbitrary<int[]> recipientIds() {
        return clientIds().set().ofMaxSize(Limits.CLIENT_LIST_MAX_ENTRIES)
                .map(ids -> ids.stream().mapToInt(Integer::intValue).toArray());
    }

    static Arbitrary<Integer> rates() {
        return Arbitraries.oneOf(Arbitraries.integers().between(1, Limits.RATE_MAX_REQUESTS),
                Arbitraries.of(1, Limits.RATE_MAX_REQUESTS));
    }

    static Arbitrary<Integer> clientIds() {
        return Arbitraries.oneOf(Arbitraries.integers().between(1, Integer.MAX_VALUE),
                Arbitraries.of(1, 2, Integer.MAX_VALUE));
    }

    static Arbitrary<Long> requestIds() {
        return Arbitraries.oneOf(Arbitraries.longs().between(1, Long.MAX_VALUE), Arbitraries.of(1L, Long.MAX_VALUE));
    }

    static Arbitrary<byte[]> keys() {
        return Arbitraries.bytes().array(byte[].class)
                .ofMinSize(Limits.IDENTITY_KEY_MIN_BYTES).ofMaxSize(Limits.IDENTITY_KEY_MAX_BYTES);
    }

    static Arbitrary<String> nick() {
        return utf8(Limits.NICKNAME_FIELD_MAX_BYTES);
    }

    static Arbitrary<String> info() {
        return utf8(Limits.INFO_FIELD_MAX_BYTES);
    }

    static Arbitrary<String> text() {
        return utf8(Limits.TEXT_FIELD_MAX_BYTES);
    }

    static Arbitrary<ClientInfo> clientInfos() {
        return Combinators.combine(clientIds(), nick(), keys()).as(ClientInfo::new);
    }

    @Provide
    Arbitrary<Message> messages() {
        return Arbitraries.oneOf(List.of(
                Combinators.combine(nick(), info()).as(ClientHello::new),
                Combinators.combine(clientIds(), nick(), info(), rates(), rates()).as(Welcome::new),
                requestIds().map(ListRequest::new),
                Combinators.combine(requestIds(),
                        clientInfos().list().ofMaxSize(Limits.CLIENT_LIST_MAX_ENTRIES)).as(ClientList::new),
                Combinators.combine(requestIds(), text()).as(SendPublic::new),
                Combinators.combine(clientIds(), nick(), text()).as(PublicMessage::new),
                Combinators.combine(requestIds(), clientIds(), text()).as(SendPrivate::new),
                Combinators.combine(clientIds(), nick(), text()).as(PrivateMessage::new),
                requestIds().map(Delivered::new),
                Combinators.combine(Arbitraries.oneOf(requestIds(), Arbitraries.just(0L)),
                        Arbitraries.of(ErrorCode.class), info()).as(ErrorReply::new),
                clientInfos().map(Joined::new),
                Combinators.combine(clientIds(), nick(), Arbitraries.of(LeaveReason.class)).as(Left::new),
                Arbitraries.longs().map(Ping::new),
                Arbitraries.longs().map(Pong::new),
                Combinators.combine(Arbitraries.of(ByeReason.class), info()).as(Bye::new),
                Combinators.combine(requestIds(), opaque(Limits.PRE_KEYS_FIELD_MAX_BYTES)).as(UploadPreKeys::new),
                Combinators.combine(requestIds(), clientIds()).as(PreKeyBundleRequest::new),
                Combinators.combine(requestIds(), clientIds(), opaque(Limits.PRE_KEY_BUNDLE_FIELD_MAX_BYTES))
                        .as(PreKeyBundleResponse::new),
                Combinators.combine(Arbitraries.integers().between(0, 0xFFFF), Arbitraries.integers().between(0,
                        0xFFFF))
                        .as(PreKeyCount::new),
                Combinators.combine(requestIds(), clientIds(), opaque(Limits.ENVELOPE_FIELD_MAX_BYTES))
                        .as(SendEnvelope::new),
                Combinators.combine(clientIds(), opaque(Limits.ENVELOPE_FIELD_MAX_BYTES)).as(Envelope::new),
                Combinators.combine(requestIds(), recipientIds(), opaque(Limits.ENVELOPE_FIELD_MAX_BYTES))
                        .as(SendRoomEnvelope::new),
                Combinators.combine(clientIds(), opaque(Limits.ENVELOPE_FIELD_MAX_BYTES)).as(RoomEnvelope::new),
                Combinators.combine(nick(), info()).as(AccountHello::new),
                Combinators.combine(requestIds(), nick(), opaque(Limits.ENVELOPE_FIELD_MAX_BYTES))
                        .as(SendToAccount::new),
                Combinators.combine(requestIds(), Arbitraries.of(DeliveryState.class)).as(DeliveryReport::new),
                Combinators.combine(requestIds(), Arbitraries.longs(), nick(), keys(),
                        opaque(Limits.ENVELOPE_FIELD_MAX_BYTES)).as(StoredEnvelope::new),
                requestIds().array(long[].class).ofMinSize(1).ofMaxSize(Limits.ACK_MAX_MESSAGE_IDS)
                        .map(AckStored::new),
                Combinators.combine(requestIds(), nick()).as(AccountBundleRequest::new),
                Combinators.combine(requestIds(), nick(), keys(), opaque(Limits.PRE_KEY_BUNDLE_FIELD_MAX_BYTES))
                        .as(AccountBundle::new),
                requestIds().map(ReleaseAccount::new),
                Combinators.combine(requestIds(), nick(),
                        Arbitraries.integers().between(1, Limits.LIST_PAGE_MAX_ENTRIES)).as(ListPageRequest::new),
                listPages()));
    }

    static Arbitrary<ListPage> listPages() {
        Arbitrary<List<ListPage.Entry>> entries = Combinators.combine(clientInfos(), Arbitraries.of(true, false))
                .as(ListPage.Entry::new).list().ofMaxSize(Limits.LIST_PAGE_MAX_ENTRIES);
        return Arbitraries.integers().between(0, Integer.MAX_VALUE).flatMap(online -> Combinators.combine(
                requestIds(), Arbitraries.integers().between(0, online),
                Arbitraries.integers().between(1, Integer.MAX_VALUE), Arbitraries.of(true, false), entries)
                .as((requestId, members, limit, more, page) -> new ListPage(requestId, online, members, limit, more,
                        page)));
    }

    /** Opaque end-to-end bytes, 1 to the cap, with the cap itself mixed in. */
    static Arbitrary<byte[]> opaque(int maxBytes) {
        return Arbitraries.oneOf(Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(64),
                Arbitraries.just(new byte[maxBytes]));
    }

    // ---- properties ----

    @Property(tries = 2500)
    @StatisticsReport(onFailureOnly = true)
    void everyMessageRoundTrips(@ForAll("messages") Message m) throws MalformedMessageException {
        Statistics.label("type").collect(m.type())
                .coverage(c -> {
                    for (MessageType t : MessageType.values()) {
                        c.check(t).count(n -> n > 0);
                    }
                });
        byte[] encoded = MessageCodec.encode(m);
        assertEquals(m.type().code(), encoded[0] & 0xFF);
        assertTrue(encoded.length <= MessageCodec.MAX_MESSAGE_BYTES);
        Message back = MessageCodec.decode(encoded);
        assertEquals(m, back);
        assertArrayEquals(encoded, MessageCodec.encode(back));
    }

    @Property(tries = 300)
    void messagesSurviveFramingUnderAnyChunking(
            @ForAll @Size(min = 1, max = 6) List<@net.jqwik.api.From("messages") Message> messages,
            @ForAll @IntRange(min = 1, max = 5000) int chunk) throws FrameException {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (Message m : messages) {
            stream.writeBytes(FrameEncoder.encode(MessageCodec.encode(m)));
        }
        byte[] bytes = stream.toByteArray();
        FrameDecoder d = new FrameDecoder();
        List<Message> out = new ArrayList<>();
        for (int pos = 0; pos < bytes.length; pos += chunk) {
            ByteBuffer in = ByteBuffer.wrap(bytes, pos, Math.min(chunk, bytes.length - pos));
            byte[] f;
            while ((f = d.decode(in)) != null) {
                out.add(MessageCodec.decode(f));
            }
        }
        d.finish();
        assertEquals(messages, out);
    }

    /** Arbitrary bytes: a message or the codec's own exception, nothing else, and re-encoding is exact. */
    @Property(tries = 5000)
    @StatisticsReport(onFailureOnly = true)
    void arbitraryBytesYieldAMessageOrMalformedMessageException(@ForAll @Size(max = 300) byte[] bytes) {
        checkDecodeIsTotal(bytes);
    }

    /** Arbitrary bodies behind a defined type code, so the fuzzing reaches the field parsers. */
    @Property(tries = 5000)
    @StatisticsReport(onFailureOnly = true)
    void arbitraryBodiesOfDefinedTypesYieldAMessageOrMalformedMessageException(
            @ForAll MessageType type, @ForAll @Size(max = 200) byte[] body) {
        byte[] bytes = new byte[body.length + 1];
        bytes[0] = (byte) type.code();
        System.arraycopy(body, 0, bytes, 1, body.length);
        checkDecodeIsTotal(bytes);
    }

    /** Valid encodings with a few bytes overwritten, cut or extended: close to valid is where parsers break. */
    @Property(tries = 3000)
    @StatisticsReport(onFailureOnly = true)
    void mutatedEncodingsYieldAMessageOrMalformedMessageException(
            @ForAll("messages") Message m,
            @ForAll @Size(max = 4) List<@IntRange(min = 0, max = 100000) Integer> positions,
            @ForAll @Size(max = 4) List<Byte> values,
            @ForAll @IntRange(min = -3, max = 3) int lengthChange) {
        byte[] good = MessageCodec.encode(m);
        byte[] bad = Arrays.copyOf(good, Math.max(0, good.length + lengthChange));
        for (int i = 0; i < Math.min(positions.size(), values.size()) && bad.length > 0; i++) {
            bad[positions.get(i) % bad.length] = values.get(i);
        }
        checkDecodeIsTotal(bad);
    }

    private static void checkDecodeIsTotal(byte[] bytes) {
        Message m;
        try {
            m = MessageCodec.decode(bytes);
        } catch (MalformedMessageException e) {
            Statistics.label("outcome").collect(e.reason());
            assertTrue(e.offset() >= 0 && e.offset() <= bytes.length, e.getMessage());
            return;
        }
        Statistics.label("outcome").collect("decoded");
        // Decoding is canonical: one byte string per message, so nothing can hide in alternative encodings.
        assertArrayEquals(bytes, MessageCodec.encode(m));
    }

    @Property(tries = 200)
    void utf8FieldsMatchTheJdkEncoder(@ForAll("messages") Message m) {
        if (m instanceof ClientHello h) {
            byte[] encoded = MessageCodec.encode(h);
            byte[] nick = h.nickname().getBytes(StandardCharsets.UTF_8);
            assertEquals(nick.length, ((encoded[1] & 0xFF) << 8) | (encoded[2] & 0xFF));
            assertArrayEquals(nick, Arrays.copyOfRange(encoded, 3, 3 + nick.length));
        }
    }
}
