# 500 x `x=$(basename /a/b/c)`
i=0
while [ $i -lt 500 ]; do
  x=$(basename /a/b/c)
  i=$((i + 1))
done
echo "$x"
