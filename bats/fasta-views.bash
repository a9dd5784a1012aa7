# Views of a FASTA file that ragc's readers may print, computed from the file
# alone (awk, gzip), for bats/lossless.bats and bats/corrupt-original.bash:
#
#   case view  what getset/getctg print for a sample with an original form:
#              ">" + each record's name, then its sequence bytes (whitespace
#              inside sequence lines removed, case and odd bytes kept) in
#              lines of WIDTH
#   upper view agc's view: the same with lower case as upper case and every
#              byte outside ACGTNRYSWKMBDHVU as N
#
# A record's name is its header without the '>' and a trailing '\r'; an
# empty header (nothing or only blanks) is named unnamed-K, K its number
# (from 1) within the file.  Plain bash: no bats needed.

# fasta_view KIND WIDTH FILE: the case view (KIND=case) or the upper view
# (KIND=upper) of FILE (plain or gzip) in lines of WIDTH (see the top).
fasta_view() {
  local kind=$1 width=$2 f=$3
  gzip -dcf -- "$f" | LC_ALL=C awk -v kind="$kind" -v w="$width" '
    function emit(   n, p) {
      n = length(buf); p = 1
      while (n - p + 1 >= w) { print substr(buf, p, w); p += w }
      buf = substr(buf, p)
    }
    function finish() { emit(); if (length(buf)) print buf; buf = "" }
    /^>/ {
      if (inrec) finish()
      inrec = 1; k++
      h = substr($0, 2); sub(/\r$/, "", h)
      if (h ~ /^[ \t]*$/) h = "unnamed-" k
      print ">" h
      next
    }
    !inrec { next }
    {
      gsub(/[ \t\r\v\f]/, "")
      if (kind == "upper") { $0 = toupper($0); gsub(/[^ACGTNRYSWKMBDHVU]/, "N") }
      buf = buf $0; emit()
    }
    END { if (inrec) finish() }'
}

# join_records < FASTA: each record as its header line and its sequence on
# one line (none when empty): compares sequences whatever the line width.
join_records() {
  LC_ALL=C awk '/^>/ { if (s != "") print s; s = ""; print; next } { s = s $0 } END { if (s != "") print s }'
}

