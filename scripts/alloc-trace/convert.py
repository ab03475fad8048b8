#!/usr/bin/env python3
"""Turns a malloc-shim.c log into an allocation trace (the format of ../shared/data/alloc-*.json.gz):
gzipped JSON {source, ops: [[op, id, size]], peakLiveBytes, count}, op 'a' allocate, 'f' free,
'r' resize (same id, new size); ids count allocations from 0. A malloc(0) becomes 1 byte (it is a
unique live pointer all the same). A free or realloc of a pointer the log never saw allocated
(made before the shim's first record) is dropped, or for realloc, becomes an allocation.

  convert.py LOG OUT.json.gz "source text" [--max-ops N]

--max-ops keeps the first N ops (a deterministic prefix: the blocks still live at its end stay
live, as they would at any moment of the run). gzip's header carries no time (mtime=0), so the
same log converts to the same bytes.
"""
import gzip, json, struct, sys

def main():
    args = sys.argv[1:]
    max_ops = None
    if '--max-ops' in args:
        at = args.index('--max-ops'); max_ops = int(args[at + 1]); del args[at:at + 2]
    log, out, source = args
    data = open(log, 'rb').read()
    ids = {}
    next_id = 0
    live = {}
    live_bytes = peak = peak_blocks = 0
    ops = []
    for at in range(0, len(data) - 24, 25):
        if max_ops is not None and len(ops) >= max_ops: break
        op = chr(data[at]); old, new, size = struct.unpack_from('<QQQ', data, at + 1)
        size = max(size, 1)
        if op == 'r' and old not in ids: op = 'a'
        if op == 'a':
            if new in ids: raise SystemExit(f'pointer {new:#x} allocated twice at record {at // 25}')
            ids[new] = next_id; live[next_id] = size; live_bytes += size
            ops.append(['a', next_id, size]); next_id += 1
        elif op == 'f':
            if old not in ids: continue
            i = ids.pop(old); live_bytes -= live.pop(i)
            ops.append(['f', i, 0])
        elif op == 'r':
            i = ids.pop(old)
            if new in ids: raise SystemExit(f'pointer {new:#x} reallocated onto a live one at record {at // 25}')
            ids[new] = i; live_bytes += size - live[i]; live[i] = size
            ops.append(['r', i, size])
        else:
            raise SystemExit(f'unknown op {op!r} at record {at // 25}')
        peak = max(peak, live_bytes)
        peak_blocks = max(peak_blocks, len(live))
    doc = {'source': source, 'ops': ops, 'peakLiveBytes': peak, 'count': len(ops)}
    text = json.dumps(doc, separators=(',', ':')).encode()
    with open(out, 'wb') as f:
        with gzip.GzipFile(filename='', mode='wb', fileobj=f, mtime=0, compresslevel=9) as g: g.write(text)
    print(f'{out}: {len(ops)} ops, {next_id} allocations, {len(live)} live at the end, peak {peak} bytes live, at most {peak_blocks} blocks live')

main()
