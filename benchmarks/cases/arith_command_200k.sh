# the 200k arithmetic loop with `(( ))`
# dash: no
sum=0
for (( i = 0; i < 200000; i++ )); do
  (( sum += i % 7 ))
done
echo $sum
