# a 200k-iteration arithmetic loop
i=0
sum=0
while [ $i -lt 200000 ]; do
  sum=$((sum + i % 7))
  i=$((i + 1))
done
echo $sum
