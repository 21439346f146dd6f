#!/usr/bin/env bash
# A text report: parses an inventory (a here-document), aggregates it per category with
# arrays and functions, and prints a formatted report with a here-document template.
#
# Usage: inventory_report.sh [COPIES]   (repeats the data COPIES times; default 20)
set -u

copies=${1:-20}

inventory() {
  cat <<'CSV'
sku,name,category,quantity,unit_price_cents
A100,Steel bolt M6,hardware,1200,12
A101,Steel nut M6,hardware,1500,8
A200,Copper wire 1mm,electrical,300,95
A201,Fuse 5A,electrical,450,30
B300,Oak plank 2m,timber,80,1450
B301,Pine plank 2m,timber,140,820
C400,Wood glue 500ml,adhesives,60,675
C401,Epoxy 2x25ml,adhesives,35,1190
D500,Safety gloves,safety,0,450
D501,Ear defenders,safety,12,1999
CSV
}

categories=()
cat_quantity=()
cat_value=()
out_of_stock=()

category_index() {  # sets $idx to the index of category $1, adding it if new
  local i
  for i in "${!categories[@]}"; do
    if [ "${categories[$i]}" = "$1" ]; then idx=$i; return; fi
  done
  idx=${#categories[@]}
  categories[$idx]=$1
  cat_quantity[$idx]=0
  cat_value[$idx]=0
}

money() {  # cents -> "123.45"
  printf '%d.%02d' $(( $1 / 100 )) $(( $1 % 100 ))
}

rows=0
copy=0
while [ $copy -lt "$copies" ]; do
  while IFS=, read -r sku name category quantity price; do
    [ "$sku" = sku ] && continue
    category_index "$category"
    cat_quantity[$idx]=$(( ${cat_quantity[$idx]} + quantity ))
    cat_value[$idx]=$(( ${cat_value[$idx]} + quantity * price ))
    if [ "$quantity" -eq 0 ] && [ $copy -eq 0 ]; then
      out_of_stock+=("$sku $name")
    fi
    rows=$((rows + 1))
  done < <(inventory)
  copy=$((copy + 1))
done

total_value=0
for i in "${!categories[@]}"; do
  total_value=$(( total_value + ${cat_value[$i]} ))
done

cat <<EOF
INVENTORY REPORT
================
Rows read:   $rows ($copies copies of the data)
Categories:  ${#categories[@]}
Total value: $(money $total_value)

EOF

printf '%-12s %10s %14s %7s\n' CATEGORY QUANTITY VALUE SHARE
for i in "${!categories[@]}"; do
  share=$(( ${cat_value[$i]} * 1000 / total_value ))
  printf '%-12s %10d %14s %5d.%d%%\n' "${categories[$i]}" "${cat_quantity[$i]}" \
    "$(money "${cat_value[$i]}")" $(( share / 10 )) $(( share % 10 ))
done

echo
if [ ${#out_of_stock[@]} -gt 0 ]; then
  echo "Out of stock:"
  for item in "${out_of_stock[@]}"; do
    echo "  - $item"
  done
else
  echo "Nothing is out of stock."
fi
