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

# shellcheck source=../serve.sh
. testdata/serve.sh

echo "== npm ci (testdata/sailpoint-sdk)"
(cd testdata/sailpoint-sdk && npm ci --no-audit --no-fund --loglevel=error)

serve testdata/fixtures/sailpoint.json

echo "== node check.mjs $url"
status=0
(cd testdata/sailpoint-sdk &&
	SAIL_BASE_URL=$url SAIL_CLIENT_ID=2c9180835d2e5168015d32f890ca1581 SAIL_CLIENT_SECRET=bootstrap-secret node check.mjs) ||
	status=$?
stop_server "$status"
