#!/bin/sh
# Black-box checks of the polyglot command-line program.
# Usage: sh tests/check_cli.sh PATH/TO/polyglot   (run from the project root)
set -u

binary=${1:?usage: check_cli.sh PATH/TO/polyglot}
version=$(cat VERSION)
checks=0
failures=0

# expect STATUS OUTPUT ARGS...: run the program, compare exit status and output.
expect() {
    want_status=$1 want_output=$2
    shift 2
    got_output=$("$binary" "$@" 2>&1)
    got_status=$?
    checks=$((checks + 1))
    if [ "$got_status" != "$want_status" ] || [ "$got_output" != "$want_output" ]; then
        failures=$((failures + 1))
        echo "FAIL: polyglot $*"
        echo "  expected (exit $want_status): $want_output"
        echo "  got      (exit $got_status): $got_output"
    fi
}

# expect_listed LINE: polyglot --list prints LINE.
expect_listed() {
    checks=$((checks + 1))
    if ! "$binary" --list | grep -qxF "$1"; then
        failures=$((failures + 1))
        echo "FAIL: polyglot --list does not print: $1"
    fi
}

expect 0 "Hello, world!"
expect 0 "Bonjour, Ada!" fr Ada
expect 0 "Hola, world!" es
expect 0 "polyglot $version" --version
expect 0 "こんにちは, world!" ja
expect_listed "ja  こんにちは"
expect_listed "pt  Olá"
expect 2 "polyglot: no greeting for 'xx' (see polyglot --list)" xx

if [ "$failures" -ne 0 ]; then
    echo "test:c: $failures of $checks checks failed"
    exit 1
fi
echo "test:c: $checks checks of $binary passed"
