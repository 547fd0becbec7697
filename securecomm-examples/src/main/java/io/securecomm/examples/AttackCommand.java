package io.securecomm.examples;

import io.securecomm.client.RelayIdentityMismatchException;
import io.securecomm.examples.attacks.MitmDemo;
import io.securecomm.examples.attacks.SmallDhDemo;
import io.securecomm.examples.attacks.XorKnownPlaintextDemo;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/**
 * {@code securecomm attack <name>}: the teaching attacks. Each starts a relay, clients and an attacker on
 * 127.0.0.1, runs the attack against the INSECURE legacy suite (it works), then against the default suite (it
 * fails, and the output says why), and exits 0. Touches no files. See docs/TEACHING.md.
 */
@Command(name = "attack", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        subcommands = {AttackCommand.XorKnownPlaintext.class, AttackCommand.SmallDh.class, AttackCommand.Mitm.class},
        description = {"Teaching demos: attacks that break the original toy's INSECURE legacy suite, run on",
            "127.0.0.1 against a real relay, then the same attacks failing against the default Noise suite.",
                    "See docs/TEACHING.md."},
        footer = ExitCodes.FOOTER)
final class AttackCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Override
    public Integer call() {
        main.err.println("securecomm attack: name an attack: xor-known-plaintext, small-dh or mitm");
        CommandLine.usage(this, main.err);
        return ExitCodes.USAGE;
    }

    void print(String line) {
        main.out.println(line);
        main.out.flush();
    }

    void section(String title) {
        print("");
        print("=== " + title + " ===");
    }

    /**
     * The shared shape of the three demos: explain the attack, run it against the INSECURE legacy suite, run it
     * against the default suite, then say why it failed there.
     */
    abstract static class Demo implements Callable<Integer> {
        @ParentCommand
        AttackCommand attack;

        @Mixin
        DebugOption debugOption;

        void say(String line) {
            attack.print("  " + line);
        }

        /** What the attack does, as printed lines. */
        abstract List<String> explanation();

        /** Runs the attack against the INSECURE legacy suite, where it works. */
        abstract void againstLegacy(Consumer<String> out) throws Exception;

        /**
         * Runs the attack against the default suite, where it fails.
         *
         * @return why it failed, as printed lines
         */
        abstract List<String> againstDefaultSuite(Consumer<String> out) throws Exception;

        @Override
        public final Integer call() throws Exception {
            explanation().forEach(attack::print);
            attack.section("against the INSECURE legacy suite");
            againstLegacy(this::say);
            attack.section("against the default suite (Noise_XX_25519_ChaChaPoly_SHA256)");
            List<String> whyItFailed = againstDefaultSuite(this::say);
            attack.print("");
            whyItFailed.forEach(attack::print);
            return ExitCodes.OK;
        }
    }

    /** {@code attack xor-known-plaintext}. */
    @Command(name = "xor-known-plaintext", mixinStandardHelpOptions = true,
            description = "Recover the repeating XOR key from a guessed message prefix, decrypt everything, flip a"
                    + " bit undetected; then see the default suite refuse both.")
    static final class XorKnownPlaintext extends Demo {
        @Override
        List<String> explanation() {
            return List.of(
                    "XOR known plaintext. The legacy suite XORs every message with the same 16-byte key,",
                    "repeated. XOR a ciphertext with a plaintext you can guess (alice's hello: her nickname and",
                    "the client version) and out comes the key stream; it repeats every 16 bytes, which reveals",
                    "the key, which decrypts everything. Without an integrity check, a flipped ciphertext bit",
                    "flips the same plaintext bit, and nobody notices.");
        }

        @Override
        void againstLegacy(Consumer<String> out) throws Exception {
            XorKnownPlaintextDemo.legacy(out);
        }

        @Override
        List<String> againstDefaultSuite(Consumer<String> out) throws Exception {
            XorKnownPlaintextDemo.defaultSuite(out);
            return List.of(
                    "Why it fails: ChaCha20 never reuses key stream (a fresh nonce per record, keys from the",
                    "handshake), so a guessed plaintext reveals nothing about other records; and every record",
                    "carries a Poly1305 tag, so any change is detected and the connection dropped.");
        }
    }

    /** {@code attack small-dh}. */
    @Command(name = "small-dh", mixinStandardHelpOptions = true,
            description = "Solve the 32-bit discrete logarithm of a recorded legacy key exchange, derive the session"
                    + " key, decrypt; then see that a Noise handshake has nothing of the sort to solve.")
    static final class SmallDh extends Demo {
        @Override
        List<String> explanation() {
            return List.of(
                    "Small-prime discrete logarithm. The legacy key exchange uses p = 2^32 - 5: alice sends",
                    "A = g^a mod p in clear. Baby-step giant-step finds a in about 2 * 2^16 multiplications",
                    "(a table of g^j, then giant steps A * g^(-m i) until one is in the table). With a, the",
                    "recorded B gives the shared secret B^a, hence the session key, hence the whole conversation.");
        }

        @Override
        void againstLegacy(Consumer<String> out) throws Exception {
            SmallDhDemo.legacy(out);
        }

        @Override
        List<String> againstDefaultSuite(Consumer<String> out) throws Exception {
            SmallDhDemo.defaultSuite(out);
            return List.of(
                    "Why it fails: X25519's group has about 2^252 elements; the best known attacks need about",
                    "2^126 steps. And the relay speaks the legacy suite only when started with",
                    "--insecure-legacy-crypto, so an attacker cannot talk it down to the small group.");
        }
    }

    /** {@code attack mitm}. */
    @Command(name = "mitm", mixinStandardHelpOptions = true,
            description = "Sit between alice and the relay, run a key exchange with each, read and rewrite;"
                    + " then see key pinning stop the same proxy under the default suite.")
    static final class Mitm extends Demo {
        @Override
        List<String> explanation() {
            return List.of(
                    "Man in the middle. Nothing in the legacy suite says who sent a public value, so a proxy",
                    "on the path runs one key exchange with alice (pretending to be the relay) and one with the",
                    "relay (pretending to be alice). It holds both keys: it decrypts, reads, rewrites and",
                    "re-encrypts every message, and neither side can tell.");
        }

        @Override
        void againstLegacy(Consumer<String> out) throws Exception {
            MitmDemo.legacy(out);
        }

        @Override
        List<String> againstDefaultSuite(Consumer<String> out) throws Exception {
            Exception refused = MitmDemo.defaultSuite(out);
            List<String> why = new ArrayList<>(List.of(
                    "Why it fails: in Noise XX the relay proves it holds the private half of its static key;",
                    "the proxy can only present its own key, and alice's client compares it with the key it",
                    "pinned on its first connection (known_relays) and hangs up before sending a byte."));
            if (!(refused instanceof RelayIdentityMismatchException)) {
                why.add("(unexpected outcome: " + refused + ")");
            }
            why.add("Pinning protects every connection after the first: compare the relay's fingerprint once,");
            why.add("out of band, as you would an SSH host key.");
            return why;
        }
    }
}
