#!/usr/bin/env bash
# Builds what the demo stack needs and starts the exporter with the built-in demo engine
# on http://localhost:9478 (metrics at /metrics, the live blotter at /blotter/).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund
npm run build --silent
if [ ! -f grafana-plugin/dist-standalone/index.html ] && [ -f grafana-plugin/package.json ]; then
  echo "tradewatch: building the blotter page once (about two minutes)…"
  (cd grafana-plugin && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && npm run build:standalone --silent)
fi
exec node exporter/dist/cli/main.js serve "$@"
