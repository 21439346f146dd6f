# 500 x `( : )`
i=0
while [ $i -lt 500 ]; do
  ( : )
  i=$((i + 1))
done
echo $i
