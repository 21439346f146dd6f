# 200 x `date`
i=0
while [ $i -lt 200 ]; do
  d=$(date -u +%Y)
  i=$((i + 1))
done
echo "${#d} $i"
