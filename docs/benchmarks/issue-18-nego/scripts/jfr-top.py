#!/usr/bin/env python3
# The hottest frames of a JFR execution-sample dump (jfr print --events jdk.ExecutionSample): top frames (self)
# and, for securecomm, Netty, Bouncy Castle and the JCA, every frame on the stack (inclusive).
#   jfr-top.py SAMPLES [N]
import sys,re,collections
txt=open(sys.argv[1]).read()
evs=txt.split('jdk.ExecutionSample')
top=collections.Counter(); incl=collections.Counter(); n=0
for e in evs:
    m=re.search(r'stackTrace = \[(.*?)\n\s*\]',e,re.S)
    if not m: continue
    frames=[l.strip() for l in m.group(1).strip().split('\n') if l.strip() and l.strip()!='...']
    frames=[re.sub(r'\s+line:.*','',f) for f in frames]
    if not frames: continue
    n+=1
    top[frames[0]]+=1
    for f in set(frames): incl[f]+=1
print('samples',n)
print('--- self')
for f,c in top.most_common(int(sys.argv[2]) if len(sys.argv)>2 else 40): print(f'{100*c/n:5.1f}% {f}')
print('--- inclusive (securecomm/netty)')
for f,c in incl.most_common(400):
    if 'securecomm' in f or 'netty' in f or 'bouncy' in f or 'crypto' in f:
        print(f'{100*c/n:5.1f}% {f}')
