import json,hashlib,sys
qs=[json.loads(l) for l in open('/work/shared/data/piaf/qa.jsonl')]
art=[q['context_id'].split('-p')[0] for q in qs]
half=[hashlib.sha256(a.encode()).digest()[0]%2 for a in art]
runs={}
for f in sys.argv[1:]:
    for l in open(f):
        cfg,r=l.rstrip('\n').split('\t')
        runs[cfg]=[int(x)>=0 for x in r.strip(',').split(',')]
def rec(cfg,h): 
    v=[x for x,hh in zip(runs[cfg],half) if hh==h]; return sum(v)/len(v)
print("halves:", half.count(0), half.count(1), "questions;", len(set(a for a,h in zip(art,half) if h==0)), len(set(a for a,h in zip(art,half) if h==1)), "articles")
for tune in (0,1):
    best=max(runs, key=lambda c: rec(c,tune))
    print(f"tuned on half {tune}: {best}  tune-half {rec(best,tune):.4f}  other-half {rec(best,1-tune):.4f}")
for c in sorted(runs, key=lambda c:-sum(runs[c])):
    print(f"{c:40s} all {sum(runs[c])/len(qs):.4f} h0 {rec(c,0):.4f} h1 {rec(c,1):.4f}")
