# a while-read loop over 20k lines
n=0
chars=0
while read -r line; do
  n=$((n + 1))
  chars=$((chars + ${#line}))
done < data/lines20k.txt
echo "$n $chars"
