#!/usr/bin/env bash
# Acceptance check of the SailPoint dialect with SailPoint's own TypeScript
# SDK (npm sailpoint-api-client) against the real binary: builds whmcsemu,
# serves testdata/fixtures/sailpoint.json on a free loopback port, runs
# check.mjs against it, stops the server, and exits with the check's status.
# Installs Node.js and npm with apt when they are missing (CI runs on a
# clean Debian machine as root).
#
# Usage: bash testdata/sailpoint-sdk/run.sh    (from any directory)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	echo "== installing nodejs npm"
	sudo=()
	if [ "$(id -u)" -ne 0 ]; then
		sudo=(sudo)
	fi
	export DEBIAN_FRONTEND=noninteractive
	"${sudo[@]}" apt-get update -qq
	"${sudo[@]}" apt-get install -y -qq nodejs npm >/dev/null
fi

tmp=$(mktemp -d)
server_pid=
cleanup() {
	if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
		kill -TERM "$server_pid" 2>/dev/null || true
		wait "$server_pid" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "== npm ci (testdata/sailpoint-sdk)"
(cd testdata/sailpoint-sdk && npm ci --no-audit --no-fund --loglevel=error)

echo "== go build ./cmd/whmcsemu"
go build -o "$tmp/whmcsemu" ./cmd/whmcsemu

echo "== whmcsemu serve"
"$tmp/whmcsemu" serve --addr 127.0.0.1:0 --db "$tmp/sailpoint.db" \
	--fixtures testdata/fixtures/sailpoint.json --log-level error \
	>"$tmp/stdout" 2>"$tmp/stderr" &
server_pid=$!

url=
for _ in $(seq 100); do # 10 s
	line=$(head -n 1 "$tmp/stdout" 2>/dev/null || true)
	case "$line" in
	"whmcsemu listening on http://"*)
		url=${line#whmcsemu listening on }
		break
		;;
	esac
	if ! kill -0 "$server_pid" 2>/dev/null; then
		break
	fi
	sleep 0.1
done
if [ -z "$url" ]; then
	echo "run.sh: whmcsemu did not report its URL within 10 s" >&2
	cat "$tmp/stdout" "$tmp/stderr" >&2 || true
	exit 1
fi
echo "   $url"

echo "== node check.mjs $url"
cd testdata/sailpoint-sdk
SAIL_BASE_URL=$url SAIL_CLIENT_ID=2c9180835d2e5168015d32f890ca1581 SAIL_CLIENT_SECRET=bootstrap-secret node check.mjs
