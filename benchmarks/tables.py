#!/usr/bin/env python3
"""Turns JMH JSON results (java -jar benchmarks.jar ... -rf json -rff FILE) into the Markdown tables of
docs/BENCHMARKS.md: every figure next to its baseline from the same run, as a ratio.

usage: benchmarks/tables.py [--best] [--before LABEL=old.json[,more.json]]... LABEL=results.json[,more.json] [LABEL=...]
Several files under one label are merged; a later file's result replaces an earlier one's for the same
benchmark and parameters (a suite rerun as a whole).

--before adds a "before" ratio column to the label's columns: the same ratio from an earlier recorded run, so
that a change shows. Several --before sets for one label are tried in order, the first that has both figures
wins; a benchmark recorded before a parameter existed (HandshakeBench before its curve parameter) is matched by
its other parameters. A before ratio is only ever a ratio from one earlier run: figures are never paired across
runs.

--best uses each benchmark's best measurement iteration instead of JMH's mean: on a machine shared with other
work, the least disturbed second of each benchmark is a steadier basis for a ratio than means that caught
different amounts of someone else's load.
"""
import json
import sys

BEST = False

# label -> list of result dicts from earlier runs, tried in order (--before).
BEFORE = {}

# Parameters that a later run added: a "before" result recorded without them matches any value.
ADDED_PARAMS = ("curve",)

# For each suite: method -> the baseline it is compared with (same parameters, same run).
BASELINES = {
    "CipherBench": {"bareXorLoop": "arraycopy", "longXorLoop": "arraycopy", "repeatingKeyXor": "arraycopy",
                    "naiveXor": "arraycopy",
                    "chaCha20Stream": "jcaChaCha20Stream", "chaCha20Seek": "jcaChaCha20Init"},
    "AeadBench": {"librarySeal": "jcaSeal", "randomNonceSeal": "jcaSeal",
                  "libraryOpen": "jcaOpen", "randomNonceOpen": "jcaOpen"},
    "ChannelBench": {"noise": "tls13"},
    "HandshakeBench": {"noiseXx": "tls13"},
    "FrameCodecBench": {"encode": "copyPayload", "encodeInto": "copyPayload", "decode": "copyPayload"},
    "MessageCodecBench": {"encodeSendPublic": "utf8Encode", "encodePublicMessage": "utf8Encode",
                          "decodeSendPublic": "utf8Decode", "decodePublicMessage": "utf8Decode"},
}

# Suites whose baseline is another value of a parameter, same method, same run: suite -> (parameter, measured
# value, baseline value). CurveBench and E2eBench compare Bouncy Castle's curves with the JDK's.
PARAM_BASELINES = {
    "CurveBench": ("curve", "BOUNCY_CASTLE", "JCA"),
    "E2eBench": ("curve", "bouncycastle", "jca"),
}

# Average-time units, turned into operations per second so that every ratio reads "higher is better".
PER_OP = {"s/op": 1.0, "ms/op": 1e3, "us/op": 1e6, "ns/op": 1e9}


def load(path):
    results = {}
    for r in json.load(open(path)):
        suite, method = r["benchmark"].split(".")[-2:]
        params = tuple(sorted((r.get("params") or {}).items()))
        metric = r["primaryMetric"]
        per_op = metric.get("scoreUnit") in PER_OP
        score = metric["score"]
        if BEST:
            raw = [x for fork in metric["rawData"] for x in fork]
            score = min(raw) if per_op else max(raw)
        if per_op:
            score = PER_OP[metric["scoreUnit"]] / score
        results[(suite, params, method)] = score
    return results


def before_ratio(label, suite, params_m, method_m, params_b, method_b):
    """The ratio measured/baseline from the first earlier run of this label that has both, or None."""
    for res in BEFORE.get(label, []):
        for pm, pb in ((params_m, params_b), (without_added(params_m), without_added(params_b))):
            m = res.get((suite, pm, method_m))
            b = res.get((suite, pb, method_b))
            if m is not None and b is not None:
                return m / b
    return None


def without_added(params):
    return tuple((k, v) for k, v in params if k not in ADDED_PARAMS)


def before_cell(label, *key):
    if label not in BEFORE:
        return ""
    r = before_ratio(label, *key)
    return f" {r:.2f}x |" if r is not None else " |"


def with_param(params, name, value):
    return tuple(sorted({**dict(params), name: value}.items()))


def param_tables(runs):
    for suite, (name, measured, baseline) in PARAM_BASELINES.items():
        keys = sorted({(with_param(p, name, measured), m) for _, res in runs for (s, p, m) in res
                       if s == suite and dict(p).get(name) == measured},
                      key=lambda k: (k[1], int(dict(k[0]).get("size", 0))))
        if not keys:
            continue
        print(f"\n#### {suite} ({name}={measured} against {name}={baseline})\n")
        header = "| parameters | method |"
        rule = "| --- | --- |"
        for label, _ in runs:
            header += f" {label} {measured} | {label} {baseline} | {label} ratio |"
            rule += " ---: | ---: | ---: |"
            if label in BEFORE:
                header += f" {label} before |"
                rule += " ---: |"
        print(header)
        print(rule)
        for params, method in keys:
            size = 0  # these suites time whole operations: bytes per second would mean nothing
            others = ", ".join(f"{k}={v}" for k, v in params if k != name)
            row = f"| {others} | `{method}` |"
            for label, res in runs:
                base_params = with_param(params, name, baseline)
                m = res.get((suite, params, method))
                b = res.get((suite, base_params, method))
                if m is None or b is None:
                    row += " | | |"
                else:
                    row += f" {fmt(m, size)} | {fmt(b, size)} | **{m / b:.2f}x** |"
                row += before_cell(label, suite, params, method, base_params, method)
            print(row)


def fmt(ops, size):
    text = f"{ops:,.0f}/s" if ops >= 100 else f"{ops:,.1f}/s"
    if size:
        text += f" ({ops * size / 1e6:,.0f} MB/s)"
    return text


def load_merged(files):
    merged = {}
    for f in files.split(","):
        merged.update(load(f))
    return merged


def parse(args):
    """Reads the options; returns [(label, results)] and fills BEFORE."""
    global BEST
    runs = []
    i = 0
    while i < len(args):
        if args[i] == "--best":
            BEST = True
        elif args[i] == "--before":
            label, files = args[i + 1].split("=", 1)
            BEFORE.setdefault(label, []).append(load_merged(files))
            i += 1
        else:
            label, files = args[i].split("=", 1)
            runs.append((label, load_merged(files)))
        i += 1
    return runs


def main():
    runs = parse(sys.argv[1:])
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
            if label in BEFORE:
                header += f" {label} before |"
                rule += " ---: |"
        print(header)
        print(rule)
        for params, method in keys:
            size = int(dict(params).get("size", 0))
            base = baselines[method]
            row = f"| {', '.join(f'{k}={v}' for k, v in params)} | `{method}` | `{base}` |"
            for label, res in runs:
                m = res.get((suite, params, method))
                b = res.get((suite, params, base))
                if m is None or b is None:
                    row += " | | |"
                else:
                    row += f" {fmt(m, size)} | {fmt(b, size)} | **{m / b:.2f}x** |"
                row += before_cell(label, suite, params, method, params, base)
            print(row)
    param_tables(runs)


if __name__ == "__main__":
    main()
