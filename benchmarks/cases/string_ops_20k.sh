# `${v//a/b}` string operations, 20k
# dash: no
v=banana-bandana
i=0
while (( i < 20000 )); do
  w=${v//an/AN}
  w=${w#b}
  (( i++ ))
done
echo "$w"
