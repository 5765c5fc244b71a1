#!/bin/sh
# Generates the app: a script that prints the greeting and the words in words.txt.
set -eu
greeting="$1"
out="$2"
mkdir -p "$out"
count=$(wc -w < words.txt | tr -d ' ')
{
  echo '#!/bin/sh'
  echo "echo \"$greeting\""
  echo "echo \"built from $count words:\""
  echo 'cat /app/words.txt'
} > "$out/hello.sh"
chmod 755 "$out/hello.sh"
sort words.txt > "$out/words.txt"
echo "generated $out/hello.sh and $out/words.txt"
