#!/usr/bin/env bash
# Acceptance check of a legacy PHP integration against the real binary:
# builds whmcsemu, serves the demo fixture on a free loopback port, runs
# testdata/php/acceptance.php against it, stops the server, and exits with
# the PHP script's status. Installs php-cli, php-curl and php-xml with apt
# when they are missing (CI runs on a clean Debian machine as root).
#
# Usage: bash testdata/php/run.sh    (from any directory)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"

php_ready() {
	command -v php >/dev/null 2>&1 &&
		php -r 'exit(function_exists("curl_init") && function_exists("simplexml_load_string") ? 0 : 1);' >/dev/null 2>&1
}

if ! php_ready; then
	echo "== installing php-cli php-curl php-xml"
	sudo=()
	if [ "$(id -u)" -ne 0 ]; then
		sudo=(sudo)
	fi
	export DEBIAN_FRONTEND=noninteractive
	"${sudo[@]}" apt-get update -qq
	"${sudo[@]}" apt-get install -y -qq php-cli php-curl php-xml >/dev/null
	php_ready || { echo "run.sh: php with curl and xml is still not usable" >&2; exit 2; }
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

echo "== go build ./cmd/whmcsemu"
go build -o "$tmp/whmcsemu" ./cmd/whmcsemu

echo "== whmcsemu serve"
"$tmp/whmcsemu" serve --addr 127.0.0.1:0 --db "$tmp/php.db" \
	--fixtures testdata/fixtures/demo.json --log-level error --ban-after 0 \
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
	echo "-- stdout:" >&2
	cat "$tmp/stdout" >&2 || true
	echo "-- stderr:" >&2
	cat "$tmp/stderr" >&2 || true
	exit 1
fi
echo "   $url"

echo "== php testdata/php/acceptance.php $url/includes/api.php"
status=0
php testdata/php/acceptance.php "$url/includes/api.php" || status=$?

kill -TERM "$server_pid"
server_status=0
wait "$server_pid" || server_status=$?
server_pid=
if [ "$server_status" -ne 0 ]; then
	echo "run.sh: whmcsemu exited with status $server_status after SIGTERM" >&2
	cat "$tmp/stderr" >&2 || true
	[ "$status" -ne 0 ] || status=1
elif [ "$status" -ne 0 ] && [ -s "$tmp/stderr" ]; then
	echo "-- whmcsemu log (errors):"
	cat "$tmp/stderr"
fi
exit "$status"
