# 500 x `echo a b c | sed s/a/x/`
i=0
while [ $i -lt 500 ]; do
  out=$(echo a b c | sed s/a/x/)
  i=$((i + 1))
done
echo "$out"
