#!/usr/bin/env python3
"""gcsum.py PREFIX...: per measured phase (from PREFIX.err), each JVM's GC pauses and its longest safepoint."""
import re, sys, os, datetime as dt
def t(s):  # HH:MM:SS.mmm -> seconds of day
    h, m, x = s.split(':'); return int(h) * 3600 + int(m) * 60 + float(x)
for pre in sys.argv[1:]:
    phases = []
    for line in open(pre + '.err'):
        m = re.match(r'(\S+) (honest pairs|room group)(.*?)slowest probes', line)
        if not m or 'warm-up' in m.group(3):
            continue
        end = t(m.group(1))
        s = re.search(r'phase from (\S+),', m.group(3))
        label = ('with' if 'with the' in m.group(3) else 'without') if s else None
        phases.append([t(s.group(1)) if s else None, end, m.group(2), label])
    # the old harness prints no start nor label: phases alternate without/with, 8 s + 1 s long
    for i, p in enumerate(phases):
        if p[0] is None:
            p[0] = p[1] - 9.0
            p[3] = 'without' if i % 2 == 0 else 'with'
    out = []
    for jvm in ('relay', 'harness') + tuple(sorted({f[len(os.path.basename(pre)) + 1:-7] for f in os.listdir(os.path.dirname(pre) or '.') if f.startswith(os.path.basename(pre) + '-attackers-') and f.endswith('-gc.log')})):
        f = '%s-%s-gc.log' % (pre, jvm)
        if not os.path.exists(f):
            continue
        ev = []
        for line in open(f):
            m = re.match(r'\[\d{4}-\d\d-\d\dT(\S+?)\+0000\] (.*)', line)
            if not m:
                continue
            ts, rest = t(m.group(1)), m.group(2)
            g = re.search(r'GC\(\d+\) Pause (\S+).* ([\d.]+)ms$', rest)
            if g:
                ev.append((ts, 'gc', float(g.group(2))))
            s = re.search(r'Safepoint "(\w+)".*Reaching safepoint: (\d+) ns.*Total: (\d+) ns', rest)
            if s:
                ev.append((ts, 'sp', int(s.group(3)) / 1e6, s.group(1), int(s.group(2)) / 1e6))
        for p in phases:
            gcs = [e[2] for e in ev if e[1] == 'gc' and p[0] <= e[0] <= p[1]]
            sps = [e for e in ev if e[1] == 'sp' and p[0] <= e[0] <= p[1]]
            big = max(sps, key=lambda e: e[2]) if sps else None
            out.append('%s %s %s: %d GC pauses%s; longest safepoint %s' % (
                p[2], p[3], jvm, len(gcs), ' (longest %.1f ms, total %.1f ms)' % (max(gcs), sum(gcs)) if gcs else '',
                '%.1f ms (%s, %.1f ms to reach)' % (big[2], big[3], big[4]) if big else '-'))
    print('==', os.path.basename(pre))
    print('\n'.join(sorted(out)))
