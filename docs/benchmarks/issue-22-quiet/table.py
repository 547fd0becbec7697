import re,sys
def rows(f):
    head=open(f).readline()
    load0=re.search(r'load (\S+)',head).group(1)
    tail=[l for l in open(f) if l.startswith('# ') and 'rc=' in l][-1]
    load1=re.search(r'load (\S+)',tail).group(1)
    r={}
    for l in open(f):
        m=re.match(r'\| (\S+): (with|without) \| ([\d.]+) ms \| ([\d.]+) ms \| (\d+) \| (\d+) \| ([\d.]+) cores \| ([\d.]+) cores(?: \| ([\d.]+) cores)? \|',l)
        if m: r.setdefault(m.group(1),{})[m.group(2)]=m.groups()
    return load0,load1,r
for f in sys.argv[1:]:
    l0,l1,r=rows(f)
    for a,d in r.items():
        w,x=d['without'],d['with']
        att = ' | %s' % x[8] if x[8] else ''
        print('| %s | %s | %s to %s | %s / %s ms | %s / %s ms | %.2f | %s / %s | %s | %s / %s cores | %s cores%s |' % (f.split('/')[-1][:-4], a, l0, l1, w[2], x[2], w[3], x[3], float(x[3])/float(w[3]), w[4], x[4], int(w[5])+int(x[5]), w[6], x[6], x[7], att))
