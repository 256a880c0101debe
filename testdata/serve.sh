# serve.sh, sourced by the acceptance scripts (testdata/php/run.sh,
# testdata/sailpoint-sdk/run.sh): builds whmcsemu and serves a fixture on a
# free loopback port. After `serve FIXTURE [FLAG …]`, $url is the server's
# root URL and $server_pid its process; `stop_server` stops it with SIGTERM
# and fails when it does not exit cleanly. The temporary directory $tmp and
# the server go when the script exits, however it exits.

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

serve() {
	local fixture=$1
	shift
	echo "== go build ./cmd/whmcsemu"
	go build -o "$tmp/whmcsemu" ./cmd/whmcsemu

	echo "== whmcsemu serve --fixtures $fixture $*"
	"$tmp/whmcsemu" serve --addr 127.0.0.1:0 --db "$tmp/state.db" --fixtures "$fixture" --log-level error "$@" \
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
		echo "whmcsemu did not report its URL within 10 s" >&2
		echo "-- stdout:" >&2
		cat "$tmp/stdout" >&2 || true
		echo "-- stderr:" >&2
		cat "$tmp/stderr" >&2 || true
		exit 1
	fi
	echo "   $url"
}

# stop_server STATUS stops the server and returns STATUS, or 1 when the
# server did not exit cleanly; with a failing STATUS it shows the server's
# error log.
stop_server() {
	local status=$1 server_status=0
	kill -TERM "$server_pid"
	wait "$server_pid" || server_status=$?
	server_pid=
	if [ "$server_status" -ne 0 ]; then
		echo "whmcsemu exited with status $server_status after SIGTERM" >&2
		cat "$tmp/stderr" >&2 || true
		[ "$status" -ne 0 ] || status=1
	elif [ "$status" -ne 0 ] && [ -s "$tmp/stderr" ]; then
		echo "-- whmcsemu log (errors):"
		cat "$tmp/stderr"
	fi
	return "$status"
}
