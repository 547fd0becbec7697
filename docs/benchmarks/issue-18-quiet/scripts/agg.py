import re,sys,collections
txt=open(sys.argv[1]).read()
events=txt.split("jdk.ExecutionSample {")[1:]
top=collections.Counter(); incl=collections.Counter(); thr=collections.Counter(); n=0
for e in events:
    m=re.search(r'sampledThread = "([^"]*)"',e)
    t=m.group(1) if m else '?'
    t=re.sub(r'-\d+$','',t)
    thr[t]+=1
    frames=re.findall(r'^\s+([\w$.<>]+)\(.*?line:',e,re.M)
    if not frames: continue
    n+=1
    top[frames[0]]+=1
    for f in set(frames): incl[f]+=1
print("samples",n); print("threads",thr.most_common(8))
print("--- top self"); 
for f,c in top.most_common(int(sys.argv[2]) if len(sys.argv)>2 else 30): print(f"{100*c/n:5.1f}% {f}")
print("--- inclusive")
for f,c in incl.most_common(int(sys.argv[3]) if len(sys.argv)>3 else 60): print(f"{100*c/n:5.1f}% {f}")
