#!/usr/bin/env bash
# A build-style script: "compiles" generated modules with many small programs, links
# them, then does an incremental rebuild in which only a changed module is redone.
#
# Usage: build.sh [MODULES]     (default 40)
set -eu

modules=${1:-40}
work=$(mktemp -d "${TMPDIR:-/tmp}/build.XXXXXX")
src=$work/src obj=$work/obj out=$work/out
mkdir -p "$src" "$obj" "$out"

log() { printf '[build] %s\n' "$*"; }

generate_sources() {
  local i=1
  while [ $i -le "$modules" ]; do
    {
      echo "module $i"
      echo "depends on module $(( i > 1 ? i - 1 : 1 ))"
      printf 'symbol_%03d value %d\n' "$i" $(( i * i ))
    } > "$src/mod$i.src"
    i=$((i + 1))
  done
}

compile() {  # compile SRC OBJ: a pipeline of small tools, like a compiler driver would
  local source=$1 object=$2
  tr 'a-z' 'A-Z' < "$source" | sed -e 's/ VALUE / = /' -e 's/^/  /' > "$object.tmp"
  size=$(wc -c < "$object.tmp")
  sum=$(cksum < "$object.tmp" | cut -d' ' -f1)
  { echo "# object $(basename "$source" .src) size=$size sum=$sum"; cat "$object.tmp"; } > "$object"
  rm -f "$object.tmp"
}

build() {
  local built=0 skipped=0 source name object
  for source in "$src"/*.src; do
    name=$(basename "$source" .src)
    object=$obj/$name.o
    if [ -f "$object" ] && ! [ "$source" -nt "$object" ]; then
      skipped=$((skipped + 1))
      continue
    fi
    compile "$source" "$object"
    built=$((built + 1))
  done
  log "compiled $built, up to date $skipped"
}

link() {
  cat "$obj"/*.o | grep -v '^#' | sort > "$out/app"
  log "linked $(wc -l < "$out/app") lines, checksum $(cksum < "$out/app" | cut -d' ' -f1)"
}

generate_sources
touch -d '2001-01-01 00:00' "$src"/*.src   # sources older than any object built below
log "full build of $modules modules"
build
link

echo "extra line" >> "$src/mod3.src"
log "incremental build after editing mod3"
build
link

if grep -q 'EXTRA LINE' "$out/app"; then
  log "change reached the output"
else
  log "change missing!" >&2
  exit 1
fi

rm -rf "$work"
