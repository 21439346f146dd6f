# 20k function calls
add() {
  total=$((total + $1))
}
total=0
i=0
while [ $i -lt 20000 ]; do
  add $i
  i=$((i + 1))
done
echo $total
