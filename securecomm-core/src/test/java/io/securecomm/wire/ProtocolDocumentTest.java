package io.securecomm.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.testing.ProtocolDocument;
import io.securecomm.wire.MalformedMessageException.Reason;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToIntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Holds docs/PROTOCOL.md to the code: its golden examples, its code tables and its limits table are parsed here
 * and compared with {@link MessageCodec}, the enums and {@link Limits}. Editing either side alone fails the build.
 */
class ProtocolDocumentTest {
    private static final HexFormat HEX = HexFormat.of();
    private static String doc;

    @BeforeAll
    static void readDocument() {
        doc = ProtocolDocument.read();
    }

    static Map<String, String> block(String text, String info) {
        return ProtocolDocument.block(text, info);
    }

    static byte[] hex(String spaced) {
        return ProtocolDocument.hex(spaced);
    }

    @TestFactory
    List<DynamicTest> goldenMessagesDecodeAndEncodeBothWays() {
        Map<String, String> examples = block(doc, "golden");
        Map<String, Message> expected = GoldenMessages.all();
        assertEquals(new TreeSet<>(expected.keySet()), new TreeSet<>(examples.keySet()),
                "the document and GoldenMessages must name the same examples");
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, String> e : examples.entrySet()) {
            tests.add(DynamicTest.dynamicTest(e.getKey(), () -> {
                byte[] bytes = hex(e.getValue());
                Message m = expected.get(e.getKey());
                assertEquals(m, MessageCodec.decode(bytes), "decode(hex)");
                assertEquals(HEX.formatHex(bytes), HEX.formatHex(MessageCodec.encode(m)), "encode(record)");
            }));
        }
        return tests;
    }

    @Test
    void everyMessageTypeHasAGoldenExample() {
        Set<MessageType> covered = new TreeSet<>();
        for (String hexText : block(doc, "golden").values()) {
            covered.add(MessageType.fromCode(hex(hexText)[0] & 0xFF));
        }
        assertEquals(Set.of(MessageType.values()), covered);
    }

    @TestFactory
    List<DynamicTest> malformedExamplesFailWithTheDocumentedReasonAndOffset() {
        Pattern shape = Pattern.compile("([0-9a-fA-F |]*)=>\\s*([A-Z_0-9]+)\\s*@\\s*(\\d+)");
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, String> e : block(doc, "golden-malformed").entrySet()) {
            Matcher m = shape.matcher(e.getValue());
            assertTrue(m.matches(), "bad malformed example " + e.getKey() + ": " + e.getValue());
            tests.add(DynamicTest.dynamicTest(e.getKey(), () -> {
                MalformedMessageException x = assertThrows(MalformedMessageException.class,
                        () -> MessageCodec.decode(hex(m.group(1))));
                assertEquals(Reason.valueOf(m.group(2)), x.reason(), x.getMessage());
                assertEquals(Integer.parseInt(m.group(3)), x.offset(), x.getMessage());
            }));
        }
        assertTrue(tests.size() >= Reason.values().length);
        return tests;
    }

    @Test
    void malformedExamplesCoverEveryReason() {
        Set<String> reasons = new TreeSet<>();
        Matcher m = Pattern.compile("=>\\s*([A-Z_0-9]+)").matcher(String.join("\n",
                block(doc, "golden-malformed").values()));
        while (m.find()) {
            reasons.add(m.group(1));
        }
        Set<String> all = new TreeSet<>();
        for (Reason r : Reason.values()) {
            all.add(r.name());
        }
        assertEquals(all, reasons);
    }

    @Test
    void goldenFramesMatchTheFrameCodec() throws FrameException {
        Map<String, String> frames = block(doc, "golden-frames");
        assertFalse(frames.isEmpty());
        for (Map.Entry<String, String> e : frames.entrySet()) {
            String[] parts = e.getValue().split("=>");
            byte[] payload = hex(parts[0]);
            byte[] frame = hex(parts[1]);
            assertArrayEquals(frame, FrameEncoder.encode(payload), e.getKey());
            assertArrayEquals(payload, new FrameDecoder().decode(ByteBuffer.wrap(frame)), e.getKey());
        }
    }

    @Test
    void messageTypeTableMatchesTheEnum() {
        for (MessageType t : MessageType.values()) {
            String recordName = camel(t.name());
            String row = String.format("| `0x%02X` | `%s` |", t.code(), recordName);
            assertTrue(doc.contains(row), "PROTOCOL.md lacks the row " + row);
            assertTrue(doc.contains(String.format("**`%s` (0x%02X)**", recordName, t.code()))
                            || recordName.equals("Pong"),
                    "PROTOCOL.md lacks the layout heading of " + recordName);
        }
        assertTrue(doc.contains(String.format("| `0x%02X` - `0x%02X` | reserved for the end-to-end envelopes",
                MessageType.E2E_RANGE_FIRST, MessageType.E2E_RANGE_LAST)));
        assertTrue(doc.contains(String.format("| `0x%02X` - `0x%02X` | reserved for legacy and teaching",
                MessageType.LEGACY_RANGE_FIRST, MessageType.LEGACY_RANGE_LAST)));
    }

    @Test
    void codeTablesMatchTheEnums() {
        checkCodes("ErrorCode", ErrorCode.values(), ErrorCode::code);
        checkCodes("LeaveReason", LeaveReason.values(), LeaveReason::code);
        checkCodes("ByeReason", ByeReason.values(), ByeReason::code);
    }

    private static <E extends Enum<E>> void checkCodes(String table, E[] values,
            ToIntFunction<E> code) {
        int start = doc.indexOf("**" + table + "**");
        assertTrue(start >= 0, "no table " + table);
        int end = doc.indexOf("\n\n", doc.indexOf("| --- |", start) );
        String section = doc.substring(start, end);
        int rows = 0;
        for (String line : section.split("\n")) {
            if (line.matches("\\| \\d+ \\|.*")) {
                rows++;
            }
        }
        assertEquals(values.length, rows, table + " rows");
        for (E v : values) {
            String row = "| " + code.applyAsInt(v) + " | `" + v.name() + "` |";
            assertTrue(section.contains(row), table + " lacks the row " + row);
        }
    }

    @Test
    void limitsTableMatchesTheConstants() throws IllegalAccessException {
        Map<String, Integer> constants = new LinkedHashMap<>();
        for (Field f : Limits.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class) {
                constants.put(f.getName(), f.getInt(null));
            }
        }
        constants.put("DEFAULT_MAX_FRAME_LENGTH_BYTES", FrameDecoder.DEFAULT_MAX_FRAME_LENGTH_BYTES);
        constants.put("MAX_MESSAGE_BYTES", MessageCodec.MAX_MESSAGE_BYTES);
        for (Map.Entry<String, Integer> c : constants.entrySet()) {
            String row = "| `" + c.getKey() + "` | " + c.getValue() + " |";
            assertTrue(doc.contains(row), "PROTOCOL.md lacks the limits row " + row);
        }
    }

    @Test
    void largestClientListFitsAsDocumented() {
        List<ClientInfo> full = new ArrayList<>();
        for (int i = 1; i <= Limits.CLIENT_LIST_MAX_ENTRIES; i++) {
            full.add(new ClientInfo(i, "n".repeat(Limits.NICKNAME_FIELD_MAX_BYTES),
                    new byte[Limits.IDENTITY_KEY_MAX_BYTES]));
        }
        int size = MessageCodec.encode(new ClientList(1, full)).length;
        assertTrue(doc.contains("= " + size + " bytes"), "PROTOCOL.md should state " + size);
        assertTrue(size <= MessageCodec.MAX_MESSAGE_BYTES);
    }

    @Test
    void largestListPageFitsAsDocumented() {
        List<ListPage.Entry> full = new ArrayList<>();
        for (int i = 1; i <= Limits.LIST_PAGE_MAX_ENTRIES; i++) {
            full.add(new ListPage.Entry(new ClientInfo(i, "n".repeat(Limits.NICKNAME_FIELD_MAX_BYTES),
                    new byte[Limits.IDENTITY_KEY_MAX_BYTES]), true));
        }
        int size = MessageCodec.encode(new ListPage(1, Integer.MAX_VALUE, 256, 256, true, full)).length;
        assertTrue(doc.contains("= " + size + " bytes"), "PROTOCOL.md should state " + size);
        assertTrue(size <= MessageCodec.MAX_MESSAGE_BYTES);
    }

    @Test
    void prologueIsDocumentedInAsciiAndHex() {
        byte[] prologue = "securecomm/1".getBytes(StandardCharsets.US_ASCII);
        StringBuilder spaced = new StringBuilder();
        for (byte b : prologue) {
            spaced.append(spaced.length() == 0 ? "" : " ").append(String.format("%02x", b));
        }
        assertTrue(doc.contains("`securecomm/1` = `" + spaced + "`"), spaced.toString());
        assertTrue(doc.contains("`Noise_XX_25519_ChaChaPoly_SHA256`"));
        assertTrue(doc.contains("`Noise_XX_25519_AESGCM_SHA256`"));
    }

    private static String camel(String upperSnake) {
        StringBuilder sb = new StringBuilder();
        for (String part : upperSnake.split("_")) {
            sb.append(part.charAt(0)).append(part.substring(1).toLowerCase(Locale.ROOT));
        }
        return sb.toString();
    }
}
