#!/usr/bin/env bash
# Installs everything the tests need (Debian packages, npm packages), builds every part,
# and runs every test: the workspaces' and cross-part tests (jest), the plugin's (jest).
# Prints one closing line "tests: N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
export CI="${CI:-}"
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"

step() { printf '\n==> %s\n' "$*"; }

step "Debian packages (prometheus, promtool, node_exporter, chromium, docker-compose, python3, psql, redis-server, mosquitto)"
need=()
# redis-server and mosquitto: the Nautilus and Hummingbot sources' tests start brokers of their own
# (on free loopback ports) to stop and restart them.
for pkg in prometheus prometheus-node-exporter chromium docker-compose python3 postgresql-client redis-server mosquitto; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

step "NATS with JetStream on 127.0.0.1:4222"
if ! (exec 3<>/dev/tcp/127.0.0.1/4222) 2>/dev/null; then
  if ! command -v nats-server >/dev/null 2>&1 && [ ! -x /usr/sbin/nats-server ]; then
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nats-server >/dev/null
  fi
  mkdir -p /tmp/tradewatch-nats
  start-stop-daemon --start --oknodo --background --exec "$(command -v nats-server || echo /usr/sbin/nats-server)" -- \
    -a 127.0.0.1 -p 4222 -js -sd /tmp/tradewatch-nats -l /tmp/tradewatch-nats/nats.log
  for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/4222) 2>/dev/null && break; sleep 0.2; done
fi

step "Redis on 127.0.0.1:6379 (the Nautilus source's session test)"
if ! (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then
  mkdir -p /tmp/tradewatch-redis
  start-stop-daemon --start --oknodo --background --exec "$(command -v redis-server || echo /usr/bin/redis-server)" -- \
    --bind 127.0.0.1 --port 6379 --dir /tmp/tradewatch-redis --save ''
  for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null && break; sleep 0.2; done
fi

step "npm packages"
npm ci --no-audit --no-fund

step "build (feed-protocol, feed-client, exporter, dashboards, alerting)"
npm run build

if [ -f grafana-plugin/package.json ]; then
  step "grafana-plugin: install, build, standalone build"
  (cd grafana-plugin && npm ci --no-audit --no-fund && npm run build && { npm run build:standalone --if-present; })
fi

step "lint"
npm run lint

step "typecheck (the workspaces, and the tests and benchmarks no workspace builds)"
npm run typecheck

results=$(mktemp -d)
status=0
step "tests: workspaces and cross-part (jest)"
npx jest --ci --runInBand --json --outputFile="$results/root.json" || status=1

if [ -f grafana-plugin/package.json ]; then
  step "tests: grafana-plugin (jest)"
  (cd grafana-plugin && npx jest --ci --json --outputFile="$results/plugin.json") || status=1
fi

node -e '
  const fs = require("fs"); let passed = 0, failed = 0;
  for (const f of fs.readdirSync(process.argv[1])) {
    const r = JSON.parse(fs.readFileSync(process.argv[1] + "/" + f, "utf8"));
    passed += r.numPassedTests; failed += r.numFailedTests + (r.numRuntimeErrorTestSuites || 0);
  }
  console.log(`\ntests: ${passed} passed, ${failed} failed`);
' "$results"
exit $status
