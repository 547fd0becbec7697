#!/usr/bin/env python3
"""Summarises JFR execution samples (jfr print --events jdk.ExecutionSample --stack-depth 64 FILE.jfr > FILE.txt)
as text fit to commit: the top frames by self samples, and the share of samples whose stack holds each of a few
named frames (inclusive, so rows overlap). Only samples of the threads whose name matches THREADS are counted: JMH's
worker threads by default; "relay-io" for the relay's event loops (a relay JVM run by LoadHarness with
SECURECOMM_RELAY_JVM_OPTS=-XX:StartFlightRecording=...).

usage: benchmarks/jfr-summary.py TITLE SAMPLES.txt [THREADS]
"""
import collections
import re
import sys

# Inclusive rows: a label and a regular expression matched against each frame of a stack.
INCLUSIVE = [
    ("Ed25519 sign (Bouncy Castle rfc8032)", r"rfc8032\.Ed25519\.sign"),
    ("Ed25519 verify (Bouncy Castle rfc8032)", r"rfc8032\.Ed25519\.verify"),
    ("Ed25519 sign (JDK EdDSA)", r"EdDSASignature\.engineSign|EdDSAOperations\.sign"),
    ("Ed25519 verify (JDK EdDSA)", r"EdDSASignature\.engineVerify|EdDSAOperations\.verify"),
    ("JDK field arithmetic (sun.security.util.math)", r"sun\.security\.util\.math"),
    ("X25519 (Bouncy Castle rfc7748)", r"rfc7748\.X25519\."),
    ("X25519 (JDK XDH)", r"XDHKeyAgreement|XECOperations"),
    ("ChaCha20-Poly1305 (JDK)", r"ChaCha20Cipher"),
    ("HMAC / HKDF", r"HmacCore|Hkdf|hkdf"),
    ("JCA look-ups (getInstance)", r"\.getInstance\("),
    ("JCA cipher set-up per record (Cipher.init)", r"javax\.crypto\.Cipher\.init"),
    ("relay: record opened (NoiseConnection.read)", r"NoiseConnection\.read"),
    ("relay: record sealed (NoiseConnection.sealFramed)", r"NoiseConnection\.sealFramed"),
    ("relay: writes handed to a recipient loop (Outbox)", r"internal\.netty\.Outbox"),
    ("relay: outcomes back to the sender (ForwardOutcomes)", r"ForwardOutcomes"),
    ("relay: flushes after the iteration (FlushBatch.run)", r"FlushBatch\.run"),
    ("relay: transport's copy into a direct buffer (newDirectBuffer)", r"Abstract(Nio|Epoll)Channel\.newDirectBuffer"),
    ("relay: tasks handed between loops (LoopBatch)", r"LoopBatch"),
    ("relay: session logic (RelaySession)", r"RelaySession\."),
]


def samples(path, threads="worker"):
    stack, in_stack, thread = [], False, ""
    for line in open(path, encoding="utf-8", errors="replace"):
        s = line.strip()
        if s.startswith("sampledThread"):
            thread = s
        elif s.startswith("stackTrace = ["):
            stack, in_stack = [], True
        elif in_stack and s.startswith("]"):
            in_stack = False
            if re.search(threads, thread) or not thread:
                yield stack
        elif in_stack and s and s != "...":
            stack.append(re.sub(r"\s+line:.*$", "", s))


def main():
    title, path = sys.argv[1], sys.argv[2]
    threads = sys.argv[3] if len(sys.argv) > 3 else "worker"
    stacks = list(samples(path, threads))
    total = len(stacks)
    print(f"{title}: {total} JFR execution samples (threads matching '{threads}')\n")
    print("Top frames (self):")
    top = collections.Counter(re.sub(r"\(.*$", "", st[0]) for st in stacks if st)
    for frame, n in top.most_common(15):
        print(f"  {100.0 * n / max(total, 1):5.1f}%  {frame}")
    print("\nInclusive (a sample counts once for every row whose frame is on its stack):")
    for label, pattern in INCLUSIVE:
        rx = re.compile(pattern)
        n = sum(1 for st in stacks if any(rx.search(f) for f in st))
        if n:
            print(f"  {100.0 * n / max(total, 1):5.1f}%  {label}")


if __name__ == "__main__":
    main()
