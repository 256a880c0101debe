#!/usr/bin/env bash
# check.sh: the README's and docs' shell examples work when pasted into a
# shell on a fresh clone, and their relative links point at files (and
# headings) that exist.
#
#   bash testdata/readme/check.sh
#
# Links: every [text](target) outside code blocks of README.md and
# docs/*.md whose target is not a URL must name an existing file or
# directory, relative to the Markdown file; a #fragment must be the anchor
# GitHub makes of one of that file's headings.
#
# Examples: every block fenced ```sh in README.md, then in docs/*.md by
# name, is written to a script and run with `bash -e -o pipefail` in a
# fresh clone of HEAD (so commit what the blocks use; the blocks themselves
# come from the working tree): one clone, put back to HEAD before each
# block (git reset --hard, git clean -ffdx). Blocks fenced ```sh no-check are not run:
# commands that take minutes, or that belong in another module. Each block
# runs
#   - with GOBIN and the front of PATH a directory of our own, and every
#     directory already holding a whmcsemu binary taken off PATH: whmcsemu
#     exists only once the README's `go install ./cmd/whmcsemu` block has
#     run, so a block that uses it before that fails;
#   - with curl wrapped to add --fail-with-body, so an HTTP error (a 415 for
#     a control-plane POST without Content-Type: application/json, a 403)
#     fails the block; a curl given -w/--write-out prints the status itself
#     and is left alone;
#   - with TMPDIR a directory of our own, which must be empty afterwards
#     (temporary databases removed), and the clone must be clean (git
#     status --ignored: no whmcsemu.db written into it);
#   - in a process group of its own: a process it leaves running (a server
#     it did not stop) fails it, and is killed; and within 120 s.
# The clone's path stays the same, so Go's build cache serves every build
# after the first.
#
# The README's first block is special: it must hold exactly
#   go run ./cmd/whmcsemu serve --fixtures testdata/fixtures/demo.json
#   go test ./...
# (comments aside). The first runs until stopped, so it is started with
# --addr 127.0.0.1:0 added (port 8080 may be taken), must print
# "whmcsemu listening on http://…" as its first line within 180 s (it
# compiles first), and is stopped with SIGINT, as Ctrl-C would; the server
# must then log that it stopped (go run itself exits 1 after an interrupt,
# whatever the program did). The second is not run here: .ci/run runs the tests (under
# -race) before this step.
set -euo pipefail
root=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
cd "$root"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
set -m # every background job gets a process group of its own

failures=0
fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

docs=(README.md)
for f in docs/*.md; do
	[ -e "$f" ] && docs+=("$f")
done

# ---- links

# anchors FILE prints the anchors GitHub makes of FILE's headings.
anchors() {
	awk '/^```/ { code = !code; next } !code && /^#+ / { sub(/^#+ +/, ""); print }' "$1" |
		tr '[:upper:]' '[:lower:]' | sed -e 's/[^a-z0-9 _-]//g' -e 's/ /-/g' |
		awk '{ n = seen[$0]++; print (n ? $0 "-" n : $0) }'
}

echo "== relative links in ${docs[*]}"
links=0
for f in "${docs[@]}"; do
	dir=$(dirname "$f")
	while IFS= read -r target; do
		links=$((links + 1))
		path=${target%%#*}
		frag=
		[[ $target == *"#"* ]] && frag=${target#*#}
		if [ -z "$path" ]; then
			file=$f
		else
			file=$dir/$path
			if [ ! -e "$file" ]; then
				fail "$f: link ($target): no such file $file"
				continue
			fi
		fi
		if [ -n "$frag" ] && [[ $file == *.md ]] && ! anchors "$file" | grep -qxF -- "$frag"; then
			fail "$f: link ($target): $file has no heading with the anchor #$frag"
		fi
	done < <(awk '/^```/ { code = !code; next } !code' "$f" |
		grep -o '\]([^)]*)' | sed -e 's/^](//' -e 's/)$//' | grep -v -E '^(https?:|mailto:)' || true)
done
echo "   $links links (${SECONDS}s)"

# ---- examples

real_curl=$(command -v curl)
mkdir -p "$tmp/bin" "$tmp/shim" "$tmp/tmp" "$tmp/blocks"
fail_flag=--fail-with-body
"$real_curl" --help all 2>/dev/null | grep -q -- --fail-with-body || fail_flag=--fail
cat >"$tmp/shim/curl" <<SHIM
#!/usr/bin/env bash
for a in "\$@"; do
	case \$a in -w* | --write-out*) exec "$real_curl" "\$@" ;; esac
done
exec "$real_curl" $fail_flag "\$@"
SHIM
chmod +x "$tmp/shim/curl"

path=
IFS=: read -r -a dirs <<<"$PATH"
for d in "${dirs[@]}"; do
	[ -n "$d" ] && [ ! -x "$d/whmcsemu" ] && path=$path:$d
done
export PATH="$tmp/shim:$tmp/bin${path}" GOBIN="$tmp/bin" TMPDIR="$tmp/tmp"

# blocks FILE writes each ```sh block of FILE to $tmp/blocks/N.sh and
# prints "N LINE" for each (LINE: where the block starts in FILE).
n=0
blocks() {
	awk -v dir="$tmp/blocks" -v n="$n" '
		/^```sh[ \t]*$/ && !code { code = 1; run = 1; n++; print n, NR; out = dir "/" n ".sh"; printf "" > out; next }
		/^```/ { if (code) { code = 0; if (run) close(out); run = 0 } else code = 1; next }
		code && run { print > out }' "$1"
}

# fresh puts the clone back as a fresh clone of HEAD: cloning once and
# restoring it costs less than a clone per block, and leaves the same files.
fresh() {
	if [ -d "$tmp/clone" ]; then
		git -C "$tmp/clone" reset -q --hard
		git -C "$tmp/clone" clean -q -ffdx
	else
		git clone -q "$root" "$tmp/clone"
	fi
}

# leftovers PGID fails and kills a process group that still has members.
leftovers() {
	if kill -0 -- "-$1" 2>/dev/null; then
		fail "$2 left a process running"
		kill -KILL -- "-$1" 2>/dev/null || true
	fi
}

first=1
for f in "${docs[@]}"; do
	while read -r i line; do
		n=$i
		block=$tmp/blocks/$i.sh
		name="$f:$line"
		fresh
		if [ "$first" = 1 ] && [ "$f" = README.md ]; then
			first=0
			echo "== $name: the first block (serve started and stopped; go test ./... left to .ci/run)"
			serve=
			while IFS= read -r cmd; do
				cmd=$(sed -e 's/[[:space:]]#.*$//' -e 's/[[:space:]]*$//' <<<"$cmd")
				case $cmd in
				"") ;;
				"go run ./cmd/whmcsemu serve "*) serve=$cmd ;;
				"go test ./...") ;;
				*) fail "$name: the first block holds only the serve and go test commands, not: $cmd" ;;
				esac
			done <"$block"
			if [ -z "$serve" ]; then
				fail "$name: the first block does not start with go run ./cmd/whmcsemu serve"
				continue
			fi
			(cd "$tmp/clone" && exec bash -c "$serve --addr 127.0.0.1:0") >"$tmp/first.out" 2>"$tmp/first.err" &
			pg=$!
			url=
			for _ in $(seq 1800); do
				url=$(sed -n 's/^whmcsemu listening on \(http:\/\/.*\)/\1/p' "$tmp/first.out" | head -n 1)
				[ -n "$url" ] && break
				kill -0 "$pg" 2>/dev/null || break
				sleep 0.1
			done
			if [ -z "$url" ] || [ "$(head -n 1 "$tmp/first.out")" != "whmcsemu listening on $url" ]; then
				fail "$name: $serve did not print \"whmcsemu listening on http://…\" first"
				cat "$tmp/first.out" "$tmp/first.err" >&2
				kill -KILL -- "-$pg" 2>/dev/null || true
				wait "$pg" 2>/dev/null || true
				continue
			fi
			kill -INT -- "-$pg"
			status=0
			wait "$pg" || status=$?
			# go run exits 1 after an interrupt whatever its program did, so
			# the server's own last log line says whether it stopped cleanly.
			if [ "$status" -gt 1 ] || [ "$(tail -n 1 "$tmp/first.err" | sed -n 's/.* msg=//p')" != stopped ]; then
				fail "$name: after SIGINT it exited with $status, and the server did not log msg=stopped last"
				cat "$tmp/first.err" >&2
			fi
			leftovers "$pg" "$name"
			rm -rf "${tmp:?}/tmp" && mkdir "$tmp/tmp" # what go run left is not the next block's
			echo "   $url, stopped (${SECONDS}s)"
			continue
		fi
		echo "== $name"
		(cd "$tmp/clone" && exec timeout -k 5 120 bash -e -o pipefail "$block") >"$tmp/block.out" 2>&1 &
		pg=$!
		status=0
		wait "$pg" || status=$?
		leftovers "$pg" "$name"
		ok=$failures
		if [ "$status" != 0 ]; then
			fail "$name: exit status $status"
			echo "-- the block:" >&2
			cat "$block" >&2
			echo "-- its output (the end):" >&2
			tail -n 40 "$tmp/block.out" >&2
		fi
		if [ -n "$(ls -A "$tmp/tmp")" ]; then
			fail "$name: left files in TMPDIR: $(ls -A "$tmp/tmp" | tr '\n' ' ')"
		fi
		rm -rf "${tmp:?}/tmp" && mkdir "$tmp/tmp"
		dirty=$(git -C "$tmp/clone" status --porcelain --ignored)
		[ -z "$dirty" ] || fail "$name: left files in the clone: $dirty"
		[ "$ok" != "$failures" ] || echo "   ok (${SECONDS}s)"
	done < <(blocks "$f")
done

if [ "$failures" -gt 0 ]; then
	echo "$failures failures" >&2
	exit 1
fi
echo "ok: every link resolves and every example ran"
