# 500 x `$(echo x)`
i=0
while [ $i -lt 500 ]; do
  x=$(echo x)
  i=$((i + 1))
done
echo "$x$i"
