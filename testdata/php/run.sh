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

# shellcheck source=../serve.sh
. testdata/serve.sh
serve testdata/fixtures/demo.json --ban-after 0

echo "== php testdata/php/acceptance.php $url/includes/api.php"
status=0
php testdata/php/acceptance.php "$url/includes/api.php" || status=$?

stop_server "$status"
