#!/usr/bin/env bash
# Word frequencies two ways: a pure-shell count with an associative array, checked
# against the classic `tr | sort | uniq -c` pipeline; then the top words as a report.
#
# Usage: word_freq.sh [WORDS]     (default 4000 words of generated text)
set -euo pipefail

count=${1:-4000}
work=$(mktemp -d "${TMPDIR:-/tmp}/word_freq.XXXXXX")
text=$work/text.txt

vocabulary=(the shell runs programs and pipes connect them while scripts quote words
            carefully so that fields split only where the script wants it to)

generate_text() {  # deterministic pseudo-random text, 12 words per line
  local seed=42 i=0 line=()
  while (( i < count )); do
    seed=$(( (seed * 1103515245 + 12345) % 2147483648 ))
    line+=("${vocabulary[seed % ${#vocabulary[@]}]}")
    if (( ${#line[@]} == 12 )); then
      echo "${line[*]}"
      line=()
    fi
    (( i += 1 ))
  done
  if (( ${#line[@]} > 0 )); then echo "${line[*]}"; fi
}

generate_text > "$text"

declare -A freq=()
while read -r -a words; do
  for w in "${words[@]}"; do
    freq[$w]=$(( ${freq[$w]:-0} + 1 ))
  done
done < "$text"

shell_counts() {
  local w
  for w in "${!freq[@]}"; do
    printf '%d %s\n' "${freq[$w]}" "$w"
  done | sort -k1,1nr -k2
}

pipeline_counts() {
  tr -s ' ' '\n' < "$text" | sort | uniq -c | awk '{print $1, $2}' | sort -k1,1nr -k2
}

if [ "$(shell_counts)" = "$(pipeline_counts)" ]; then
  echo "shell count and pipeline agree on ${#freq[@]} distinct words"
else
  echo "shell count and pipeline DISAGREE" >&2
  exit 1
fi

total=0
for w in "${!freq[@]}"; do (( total += freq[$w] )); done

printf '\n%-4s %-10s %6s %6s\n' rank word count share
rank=0
shell_counts | head -n 10 | while read -r n w; do
  rank=$((rank + 1))
  printf '%-4d %-10s %6d %5d%%\n' "$rank" "$w" "$n" $(( n * 100 / total ))
done

rm -rf "$work"
