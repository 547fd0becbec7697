package io.securecomm.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The {@code attack} commands as a learner runs them. */
@Timeout(120)
class AttackCommandTest {
    @Test
    void attackHelpListsTheThreeAttacks() {
        Cli cli = Cli.run("", null, "attack", "--help");
        assertEquals(0, cli.exitCode, cli.toString());
        for (String name : new String[] {"xor-known-plaintext", "small-dh", "mitm"}) {
            assertTrue(cli.out.contains(name), cli.toString());
        }
        Cli bare = Cli.run("", null, "attack");
        assertEquals(ExitCodes.USAGE, bare.exitCode, bare.toString());
    }

    @Test
    void smallDhExplainsRunsBothSuitesAndExitsZero() {
        Cli cli = Cli.run("", null, "attack", "small-dh");
        assertEquals(0, cli.exitCode, cli.toString());
        assertTrue(cli.out.startsWith("Small-prime discrete logarithm."), cli.toString());
        assertTrue(cli.out.contains("baby-step giant-step found a = "), cli.toString());
        assertTrue(cli.out.contains("attacker: FAILED (NOT_LEGACY)"), cli.toString());
        assertTrue(cli.out.contains("Why it fails"), cli.toString());
    }

    @Test
    void legacyFlagsAreOffByDefaultAndNamedInsecure() {
        Cli server = Cli.run("", null, "server", "--help");
        assertTrue(server.out.contains("--insecure-legacy-crypto"), server.toString());
        assertTrue(server.out.contains("INSECURE"), server.toString());
        Cli client = Cli.run("", null, "client", "--help");
        assertTrue(client.out.contains("--insecure-legacy-crypto"), client.toString());
        Cli bad = Cli.run("", null, "server", "0", "--insecure-legacy-crypto=sometimes");
        assertEquals(ExitCodes.USAGE, bad.exitCode, bad.toString());
    }
}
