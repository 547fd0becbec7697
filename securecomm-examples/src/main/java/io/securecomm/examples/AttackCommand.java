package io.securecomm.examples;

import io.securecomm.client.RelayIdentityMismatchException;
import io.securecomm.examples.attacks.MitmDemo;
import io.securecomm.examples.attacks.SmallDhDemo;
import io.securecomm.examples.attacks.XorKnownPlaintextDemo;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code securecomm attack <name>}: the teaching attacks. Each starts a relay, clients and an attacker on
 * 127.0.0.1, runs the attack against the INSECURE legacy suite (it works), then against the default suite (it
 * fails, and the output says why), and exits 0. Touches no files. See docs/TEACHING.md.
 */
@Command(name = "attack", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        subcommands = {AttackCommand.XorKnownPlaintext.class, AttackCommand.SmallDh.class, AttackCommand.Mitm.class},
        description = {"Teaching demos: attacks that break the original toy's INSECURE legacy suite, run on",
            "127.0.0.1 against a real relay, then the same attacks failing against the default Noise suite.", "See docs/TEACHING.md."},
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

    /** The shared shape of the three demos. */
    abstract static class Demo implements Callable<Integer>, Main.HasDebugOption {
        @ParentCommand
        AttackCommand attack;

        @Option(names = "--debug", description = "Print stack traces of failures.")
        boolean debug;

        @Override
        public boolean debug() {
            return debug;
        }

        void say(String line) {
            attack.print("  " + line);
        }
    }

    /** {@code attack xor-known-plaintext}. */
    @Command(name = "xor-known-plaintext", mixinStandardHelpOptions = true,
            description = "Recover the repeating XOR key from a guessed message prefix, decrypt everything, flip a"
                    + " bit undetected; then see the default suite refuse both.")
    static final class XorKnownPlaintext extends Demo {
        @Override
        public Integer call() throws Exception {
            attack.print("XOR known plaintext. The legacy suite XORs every message with the same 16-byte key,");
            attack.print("repeated. XOR a ciphertext with a plaintext you can guess (alice's hello: her nickname and");
            attack.print("the client version) and out comes the key stream; it repeats every 16 bytes, which reveals");
            attack.print("the key, which decrypts everything. Without an integrity check, a flipped ciphertext bit");
            attack.print("flips the same plaintext bit, and nobody notices.");
            attack.section("against the INSECURE legacy suite");
            XorKnownPlaintextDemo.legacy(this::say);
            attack.section("against the default suite (Noise_XX_25519_ChaChaPoly_SHA256)");
            XorKnownPlaintextDemo.defaultSuite(this::say);
            attack.print("");
            attack.print("Why it fails: ChaCha20 never reuses key stream (a fresh nonce per record, keys from the");
            attack.print("handshake), so a guessed plaintext reveals nothing about other records; and every record");
            attack.print("carries a Poly1305 tag, so any change is detected and the connection dropped.");
            return ExitCodes.OK;
        }
    }

    /** {@code attack small-dh}. */
    @Command(name = "small-dh", mixinStandardHelpOptions = true,
            description = "Solve the 32-bit discrete logarithm of a recorded legacy key exchange, derive the session"
                    + " key, decrypt; then see that a Noise handshake has nothing of the sort to solve.")
    static final class SmallDh extends Demo {
        @Override
        public Integer call() throws Exception {
            attack.print("Small-prime discrete logarithm. The legacy key exchange uses p = 2^32 - 5: alice sends");
            attack.print("A = g^a mod p in clear. Baby-step giant-step finds a in about 2 * 2^16 multiplications");
            attack.print("(a table of g^j, then giant steps A * g^(-m i) until one is in the table). With a, the");
            attack.print("recorded B gives the shared secret B^a, hence the session key, hence the whole conversation.");
            attack.section("against the INSECURE legacy suite");
            SmallDhDemo.legacy(this::say);
            attack.section("against the default suite (Noise_XX_25519_ChaChaPoly_SHA256)");
            SmallDhDemo.defaultSuite(this::say);
            attack.print("");
            attack.print("Why it fails: X25519's group has about 2^252 elements; the best known attacks need about");
            attack.print("2^126 steps. And the relay speaks the legacy suite only when started with");
            attack.print("--insecure-legacy-crypto, so an attacker cannot talk it down to the small group.");
            return ExitCodes.OK;
        }
    }

    /** {@code attack mitm}. */
    @Command(name = "mitm", mixinStandardHelpOptions = true,
            description = "Sit between alice and the relay, run a key exchange with each, read and rewrite;"
                    + " then see key pinning stop the same proxy under the default suite.")
    static final class Mitm extends Demo {
        @Override
        public Integer call() throws Exception {
            attack.print("Man in the middle. Nothing in the legacy suite says who sent a public value, so a proxy");
            attack.print("on the path runs one key exchange with alice (pretending to be the relay) and one with the");
            attack.print("relay (pretending to be alice). It holds both keys: it decrypts, reads, rewrites and");
            attack.print("re-encrypts every message, and neither side can tell.");
            attack.section("against the INSECURE legacy suite");
            MitmDemo.legacy(this::say);
            attack.section("against the default suite (Noise_XX_25519_ChaChaPoly_SHA256)");
            Exception refused = MitmDemo.defaultSuite(this::say);
            attack.print("");
            attack.print("Why it fails: in Noise XX the relay proves it holds the private half of its static key;");
            attack.print("the proxy can only present its own key, and alice's client compares it with the key it");
            attack.print("pinned on its first connection (known_relays) and hangs up before sending a byte.");
            if (!(refused instanceof RelayIdentityMismatchException)) {
                attack.print("(unexpected outcome: " + refused + ")");
            }
            attack.print("Pinning protects every connection after the first: compare the relay's fingerprint once,");
            attack.print("out of band, as you would an SSH host key.");
            return ExitCodes.OK;
        }
    }
}
