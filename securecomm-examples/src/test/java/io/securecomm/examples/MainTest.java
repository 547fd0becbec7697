package io.securecomm.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class MainTest {
    @TempDir
    Path home;

    @Test
    void helpListsSubcommandsAndExitCodes() {
        Cli r = Cli.run("", home, "--help");
        assertEquals(0, r.exitCode, r::toString);
        for (String s : new String[] {"server", "client", "demo", "Exit codes"}) {
            assertTrue(r.out.contains(s), r::toString);
        }
    }

    @Test
    void versionIsPrinted() {
        Cli r = Cli.run("", home, "--version");
        assertEquals(0, r.exitCode);
        assertTrue(r.out.startsWith("securecomm "), r::toString);
    }

    @Test
    void badUsageExitsTwo() {
        assertEquals(ExitCodes.USAGE, Cli.run("", home).exitCode);
        assertEquals(ExitCodes.USAGE, Cli.run("", home, "bogus").exitCode);
        assertEquals(ExitCodes.USAGE, Cli.run("", home, "client").exitCode);
        Cli noPort = Cli.run("", home, "client", "localhost");
        assertEquals(ExitCodes.USAGE, noPort.exitCode, noPort::toString);
        assertTrue(noPort.err.contains("HOST:PORT"), noPort::toString);
    }

    @Test
    void demoRunsAndExitsZero() {
        Cli r = Cli.run("", home, "demo");
        assertEquals(0, r.exitCode, r::toString);
        assertTrue(r.out.contains("bob    sees  <alice> Hello everyone!"), r::toString);
        assertTrue(r.out.contains("alice  sees  [private] <bob> Hi Alice"), r::toString);
        assertTrue(r.out.contains("demo finished"), r::toString);
        // carol's /list shows identity fingerprints (the ones /verify shows), hers marked as her own.
        assertTrue(r.out.matches("(?s).*#1 alice  ([0-9a-f]{4} ){7}[0-9a-f]{4} \\(not verified\\)\\R.*"), r::toString);
        assertTrue(r.out.matches("(?s).*#3 carol  ([0-9a-f]{4} ){7}[0-9a-f]{4} \\(you\\)\\R.*"), r::toString);
        assertTrue(r.out.contains("relay  saw   1 end-to-end envelope, "), r::toString);
        assertFalse(r.err.contains("Exception"), r::toString);
    }

    @Test
    void serverThatCannotListenExitsSevenWithOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Cli r = Cli.run("", home, "server", Integer.toString(taken.getLocalPort()), "--bind", "127.0.0.1");
            assertEquals(ExitCodes.CANNOT_LISTEN, r.exitCode, r::toString);
            assertTrue(r.err.startsWith("securecomm: cannot listen on 127.0.0.1:"), r::toString);
            assertFalse(r.err.contains("\tat "), "no stack trace without --debug");
        }
    }

    @Test
    void debugFlagShowsTheStackTrace() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Cli r = Cli.run("", home, "server", Integer.toString(taken.getLocalPort()), "--bind", "127.0.0.1",
                    "--debug");
            assertEquals(ExitCodes.CANNOT_LISTEN, r.exitCode, r::toString);
            assertTrue(r.err.contains("\tat "), r::toString);
        }
    }
}
