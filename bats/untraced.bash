# untraced FUNCTION ARGS...: runs FUNCTION without bats' DEBUG trap, then
# puts the trap back.
#
# bats (1.8) runs a DEBUG trap before every command of a test, recording a
# stack trace for its failure report.  At about 1 ms a command it was most
# of the time of the suites whose checks loop in bash over hundreds of rows
# or cases (compat.bats and foreign.bats ran 2.6 times slower with it).
# Nothing else changes: set -e and the ERR trap stay, so a check that fails
# still fails the test with its own message; bats names the test's line
# that called the check as the place (the messages name the row or case).
untraced() {
  local saved
  saved=$(trap -p DEBUG)
  trap - DEBUG
  "$@"
  local rc=$?
  eval "$saved"
  return "$rc"
}
