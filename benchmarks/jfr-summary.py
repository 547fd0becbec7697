#!/usr/bin/env python3
"""Summarises JFR execution samples (jfr print --events jdk.ExecutionSample --stack-depth 64 FILE.jfr > FILE.txt)
as text fit to commit: the top frames by self samples, and the share of samples whose stack holds each of a few
named frames (inclusive, so rows overlap). Only samples of JMH's worker threads are counted.

usage: benchmarks/jfr-summary.py TITLE SAMPLES.txt
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
]


def samples(path):
    stack, in_stack, thread = [], False, ""
    for line in open(path, encoding="utf-8", errors="replace"):
        s = line.strip()
        if s.startswith("sampledThread"):
            thread = s
        elif s.startswith("stackTrace = ["):
            stack, in_stack = [], True
        elif in_stack and s.startswith("]"):
            in_stack = False
            if "worker" in thread or not thread:
                yield stack
        elif in_stack and s and s != "...":
            stack.append(re.sub(r"\s+line:.*$", "", s))


def main():
    title, path = sys.argv[1], sys.argv[2]
    stacks = list(samples(path))
    total = len(stacks)
    print(f"{title}: {total} JFR execution samples (JMH worker threads)\n")
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
