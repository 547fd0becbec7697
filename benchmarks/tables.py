#!/usr/bin/env python3
"""Turns JMH JSON results (java -jar benchmarks.jar ... -rf json -rff FILE) into the Markdown tables of
docs/BENCHMARKS.md: every figure next to its baseline from the same run, as a ratio.

usage: benchmarks/tables.py LABEL=results.json[,more.json] [LABEL=...]
Several files under one label are merged; a later file's result replaces an earlier one's for the same
benchmark and parameters (a suite rerun as a whole).
"""
import json
import sys

# For each suite: method -> the baseline it is compared with (same parameters, same run).
BASELINES = {
    "CipherBench": {"bareXorLoop": "arraycopy", "repeatingKeyXor": "arraycopy", "naiveXor": "arraycopy",
                    "chaCha20Stream": "jcaChaCha20Stream", "chaCha20Seek": "jcaChaCha20Init"},
    "AeadBench": {"librarySeal": "jcaSeal", "randomNonceSeal": "jcaSeal",
                  "libraryOpen": "jcaOpen", "randomNonceOpen": "jcaOpen"},
    "ChannelBench": {"noise": "tls13"},
    "HandshakeBench": {"noiseXx": "tls13"},
    "FrameCodecBench": {"encode": "copyPayload", "encodeInto": "copyPayload", "decode": "copyPayload"},
    "MessageCodecBench": {"encodeSendPublic": "utf8Encode", "encodePublicMessage": "utf8Encode",
                          "decodeSendPublic": "utf8Decode", "decodePublicMessage": "utf8Decode"},
}


def load(path):
    results = {}
    for r in json.load(open(path)):
        suite, method = r["benchmark"].split(".")[-2:]
        params = tuple(sorted((r.get("params") or {}).items()))
        results[(suite, params, method)] = r["primaryMetric"]["score"]
    return results


def fmt(ops, size):
    text = f"{ops:,.0f}/s" if ops >= 100 else f"{ops:,.1f}/s"
    if size:
        text += f" ({ops * size / 1e6:,.0f} MB/s)"
    return text


def main():
    runs = []
    for arg in sys.argv[1:]:
        label, files = arg.split("=", 1)
        merged = {}
        for f in files.split(","):
            merged.update(load(f))
        runs.append((label, merged))
    for suite, baselines in BASELINES.items():
        keys = sorted({(p, m) for _, res in runs for (s, p, m) in res if s == suite and m in baselines},
                      key=lambda k: (k[0][:-1], int(dict(k[0]).get("size", 0)), list(baselines).index(k[1])))
        if not keys:
            continue
        print(f"\n#### {suite}\n")
        header = "| parameters | measured | baseline |"
        rule = "| --- | --- | --- |"
        for label, _ in runs:
            header += f" {label} measured | {label} baseline | {label} ratio |"
            rule += " ---: | ---: | ---: |"
        print(header)
        print(rule)
        for params, method in keys:
            size = int(dict(params).get("size", 0))
            base = baselines[method]
            row = f"| {', '.join(f'{k}={v}' for k, v in params)} | `{method}` | `{base}` |"
            for _, res in runs:
                m = res.get((suite, params, method))
                b = res.get((suite, params, base))
                if m is None or b is None:
                    row += " | | |"
                else:
                    row += f" {fmt(m, size)} | {fmt(b, size)} | **{m / b:.2f}x** |"
            print(row)


if __name__ == "__main__":
    main()
