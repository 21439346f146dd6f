#!/usr/bin/env bash
# Log processing: generate a web-server access log, then summarize it with pipelines.
#
# Usage: log_report.sh [LINES]     (default 3000 lines; output is deterministic)
set -eu

lines=${1:-3000}
work=$(mktemp -d "${TMPDIR:-/tmp}/log_report.XXXXXX")
log=$work/access.log

paths="/ /index.html /api/users /api/orders /static/app.js /static/style.css /login /search"
statuses="200 200 200 200 200 304 301 404 500 503"

# A small linear congruential generator keeps the "random" log reproducible.
seed=12345
next_random() {
  seed=$(( (seed * 1103515245 + 12345) % 2147483648 ))
}

pick() {  # pick N WORDS... -> $picked = the N-th word (0-based, modulo count)
  local n=$1
  shift
  set -- $@
  n=$(( n % $# + 1 ))
  eval "picked=\${$n}"
}

generate_log() {
  local i=0 ip path status bytes hour minute
  while [ $i -lt "$lines" ]; do
    next_random
    ip="10.0.$(( seed % 4 )).$(( seed / 7 % 16 ))"
    pick $(( seed / 3 )) $paths; path=$picked
    pick $(( seed / 11 )) $statuses; status=$picked
    bytes=$(( seed % 50000 ))
    hour=$(( i * 24 / lines ))
    minute=$(( seed % 60 ))
    printf '%s - - [24/Nov/2026:%02d:%02d:00 +0000] "GET %s HTTP/1.1" %s %s\n' \
      "$ip" "$hour" "$minute" "$path" "$status" "$bytes"
    i=$((i + 1))
  done > "$log"
}

section() {
  printf '\n== %s ==\n' "$1"
}

generate_log

cat <<EOF
Access log report
  file lines: $(wc -l < "$log")
  generated:  $lines requests
EOF

section "Top 5 clients"
cut -d' ' -f1 "$log" | sort | uniq -c | sort -k1,1nr -k2 | head -5

section "Status codes"
awk '{print $9}' "$log" | sort | uniq -c | sort -k2

section "Server errors by path"
grep -E '" 5[0-9][0-9] ' "$log" | awk '{print $7}' | sort | uniq -c | sort -k1,1nr -k2 || true

section "Traffic"
total_bytes=$(awk '{s += $10} END {print s}' "$log")
echo "bytes sent: $total_bytes"
echo "average:    $(( total_bytes / lines )) bytes/request"

section "Busiest hour"
cut -d: -f2 "$log" | sort | uniq -c | sort -k1,1nr -k2 | head -1 |
  while read -r count hour; do echo "hour $hour with $count requests"; done

not_found=$(grep -c '" 404 ' "$log" || true)
if [ "$not_found" -gt 0 ]; then
  section "Missing pages"
  echo "$not_found requests ended in 404"
fi

rm -rf "$work"
