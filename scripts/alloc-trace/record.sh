#!/usr/bin/env bash
# Records the allocation traces in tests/data/alloc-*.json.gz from real programs on this machine
# (Debian 12: gcc 12.2, sqlite 3.40, git 2.39, python 3.11 from pyenv, jq 1.6). See README.md.
#   bash scripts/alloc-trace/record.sh [OUT_DIR]   (default tests/data)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
out=${1:-$repo/tests/data}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
gcc -O2 -Wall -shared -fPIC -o "$work/shim.so" "$here/malloc-shim.c" -ldl
trace() { local name=$1; shift; ALLOC_TRACE="$work/$name" LD_PRELOAD="$work/shim.so" "$@"; }
# The log of the process that did the work: the largest file of that name (gcc's driver, as, ...
# write small ones; cc1 the big one).
largest() { ls -S "$work/$1".* | head -1; }

# gcc: cc1 compiling libpng's example program with -O2.
trace gcc gcc -O2 -c /usr/share/doc/libpng-dev/examples/pngtest.c -o "$work/pngtest.o"
python3 "$here/convert.py" "$(largest gcc)" "$out/alloc-gcc-cc1.json.gz" \
  "gcc 12.2 (cc1): gcc -O2 -c libpng's pngtest.c"

# sqlite3: build, index, aggregate, delete, join, sort, vacuum.
trace sqlite sqlite3 "$work/db.sqlite" < "$here/sqlite-workload.sql" > /dev/null
python3 "$here/convert.py" "$(largest sqlite)" "$out/alloc-sqlite.json.gz" \
  "sqlite 3.40: 40,000-row table, two indexes, group-by, delete a third, self-join, sort, vacuum"

# git: a full log with patches over this repository's history up to a fixed commit.
(cd "$repo" && trace git git log -p --stat f562efd > /dev/null)
python3 "$here/convert.py" "$(largest git)" "$out/alloc-git-log.json.gz" \
  "git 2.39: git log -p --stat over this repository's history (181 commits, to f562efd)"

# python: the compiler on two standard-library modules, every object through malloc.
py=${PYTHON311:-/root/.pyenv/versions/3.11.7/bin/python3.11}
lib=$("$py" -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
PYTHONMALLOC=malloc trace python "$py" -c "
import ast
for name in ['argparse', 'dataclasses']:
    path = '$lib/' + name + '.py'
    compile(ast.parse(open(path).read(), path), path, 'exec')
"
python3 "$here/convert.py" "$(largest python)" "$out/alloc-python-compile.json.gz" \
  "python 3.11 (PYTHONMALLOC=malloc): ast.parse + compile of the standard library's argparse.py and dataclasses.py"

# jq: many small objects (JSON values): filter, reshape, sort and group 15,000 generated records
# (the input is made by a seeded generator, so it is the same on every machine).
python3 - "$work/records.json" <<'PY'
import json, random, sys
r = random.Random(7)
words = [''.join(r.choice('abcdefghijklmnopqrstuvwxyz') for _ in range(r.randint(2, 10))) for _ in range(3000)]
with open(sys.argv[1], 'w') as f:
    json.dump([{'name': r.choice(words) + str(i), 'v': r.randint(0, 10**6), 'tags': [r.choice(words) for _ in range(r.randint(0, 5))],
                'nested': {'a': r.randint(0, 1000), 'b': r.choice(words)}} for i in range(15000)], f)
PY
trace jq jq -c '[.[] | select(.v % 3 == 0) | {k: .name, v: (.v * 2), t: (.tags | join(","))}] | sort_by(.k) | group_by(.t | length) | map({n: length, first: .[0].k})' "$work/records.json" > /dev/null
python3 "$here/convert.py" "$(largest jq)" "$out/alloc-jq.json.gz" \
  "jq 1.6: filter, reshape, sort and group 15,000 JSON objects"
