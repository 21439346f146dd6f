# 200 x (`cat file` into a pipe + `grep -c`)
i=0
while [ $i -lt 200 ]; do
  n=$(cat data/small.txt | grep -c 7)
  i=$((i + 1))
done
echo "$n $i"
