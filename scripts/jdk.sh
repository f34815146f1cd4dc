# Sourced by the project's scripts: exports JAVA_HOME pointing at a JDK >= 25, or exits with a
# message naming the JDK that was found. Order: $JAVA_HOME, `java` on PATH, then the usual
# install folders (Debian's /usr/lib/jvm holds Temurin 25 beside the default JDK 17 here).
sentemb_java_major() {  # $1 = path to a java binary; prints its feature version, or nothing
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'
}

sentemb_select_jdk() {
  local need=25 found_desc="" cand major
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME/bin/java")
  command -v java >/dev/null 2>&1 && candidates+=("$(readlink -f "$(command -v java)")")
  for d in /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -x "$d/bin/java" ] && candidates+=("$d/bin/java")
  done
  for cand in "${candidates[@]}"; do
    [ -x "$cand" ] || continue
    major=$(sentemb_java_major "$cand")
    [ -z "$found_desc" ] && found_desc="JDK ${major:-unknown} at ${cand%/bin/java}"
    if [ -n "$major" ] && [ "${major%%.*}" -ge "$need" ] 2>/dev/null; then
      export JAVA_HOME="${cand%/bin/java}"
      export PATH="$JAVA_HOME/bin:$PATH"
      return 0
    fi
  done
  echo "sentemb: needs a JDK $need or newer (Vector API + FFM); found ${found_desc:-no JDK at all}." >&2
  echo "sentemb: install Temurin $need and set JAVA_HOME to it." >&2
  return 1
}

sentemb_select_jdk || exit 1
