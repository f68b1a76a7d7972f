#!/usr/bin/env bash
# Starts an openfusion cluster on this machine, on loopback only: one api node (roles api,router,judge)
# and PANEL_NODES panel nodes (role panel), all answering from the simulated --demo provider, so no key
# and no network are needed. Each run gets its own cluster name, so it never merges with another
# cluster on the same host. Ctrl-C (or any exit) stops every node it started.
#
#   examples/cluster/start.sh            # run until Ctrl-C
#   examples/cluster/start.sh --check    # start, send one fused request, show who served it, stop
#
# Environment: HTTP_PORT (8100), HZ_PORT (5901, first Hazelcast port), PANEL_NODES (2),
# LOG_DIR (/tmp/openfusion-cluster), CLUSTER_NAME (random), OPENFUSION (launcher, default ./openfusion).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OPENFUSION="${OPENFUSION:-$ROOT/openfusion}"
HTTP_PORT="${HTTP_PORT:-8100}"
HZ_PORT="${HZ_PORT:-5901}"
PANEL_NODES="${PANEL_NODES:-2}"
LOG_DIR="${LOG_DIR:-${TMPDIR:-/tmp}/openfusion-cluster}"
CLUSTER_NAME="${CLUSTER_NAME:-openfusion-example-$(date +%s)-$RANDOM}"
START_TIMEOUT="${START_TIMEOUT:-180}"   # seconds; the first run builds the jar

CHECK=0
case "${1:-}" in
  --check) CHECK=1 ;;
  "") ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

# small heaps: three JVMs share one machine
export OPENFUSION_JAVA_OPTS="${OPENFUSION_JAVA_OPTS:--Xms64m -Xmx384m} -Dlogback.configurationFile=$HERE/logback.xml"
export OPENFUSION_NO_OPEN=1

PIDS=()
stop_all() {
  trap - EXIT INT TERM
  [ "${#PIDS[@]}" -eq 0 ] && return
  echo "stopping ${#PIDS[@]} node(s)..." >&2
  kill -TERM "${PIDS[@]}" 2>/dev/null || true
  # graceful shutdown lets in-flight requests finish; give up after 40 s
  for _ in $(seq 1 80); do
    local alive=0
    for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" -eq 0 ] && break
    sleep 0.5
  done
  kill -KILL "${PIDS[@]}" 2>/dev/null || true
  echo "stopped; logs are in $LOG_DIR" >&2
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# every node: the same config file and cluster, TCP-IP join on 127.0.0.1 only
node() {
  local name="$1"; shift
  "$OPENFUSION" serve --demo --cluster --config "$HERE/openfusion.yaml" \
    --cluster-name "$CLUSTER_NAME" --cluster-members 127.0.0.1 --cluster-host 127.0.0.1 \
    --cluster-port "$HZ_PORT" "$@" >"$LOG_DIR/$name.log" 2>&1 &
  PIDS+=("$!")
  echo "  $name: pid $!, log $LOG_DIR/$name.log" >&2
}

# waits until a node has printed its start-up summary (it prints it once its roles are deployed)
wait_started() {
  local name="$1" pid="$2" deadline=$((SECONDS + START_TIMEOUT))
  until grep -q "openfusion is starting" "$LOG_DIR/$name.log" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
      echo "$name did not start; its log:" >&2
      tail -n 30 "$LOG_DIR/$name.log" >&2
      exit 1
    fi
    sleep 0.5
  done
}

mkdir -p "$LOG_DIR"
rm -f "$LOG_DIR"/api.log "$LOG_DIR"/panel-*.log
echo "starting cluster '$CLUSTER_NAME' (Hazelcast ports from $HZ_PORT, loopback only)" >&2

# the api node first: it becomes the first member (and builds the jar if needed, once)
node api --roles api,router,judge --port "$HTTP_PORT"
wait_started api "${PIDS[0]}"
for i in $(seq 1 "$PANEL_NODES"); do
  node "panel-$i" --roles panel
done
for i in $(seq 1 "$PANEL_NODES"); do
  wait_started "panel-$i" "${PIDS[$i]}"
done

URL="http://127.0.0.1:$HTTP_PORT"
cat >&2 <<EOF

cluster '$CLUSTER_NAME' is up: 1 api node (api,router,judge) + $PANEL_NODES panel node(s)
  API:        $URL/v1   (model "openfusion"; answers are simulated)
  playground: $URL/playground/
  health:     $URL/healthz
  try:        curl -N $URL/v1/chat/completions -H 'content-type: application/json' \\
                -d '{"model":"openfusion","stream":true,"messages":[{"role":"user","content":"Compare Postgres and SQLite"}]}'
  members:    grep 'Members {size' $LOG_DIR/api.log | tail -n 1      (Hazelcast's latest view)
  panel work: grep openfusion.upstream $LOG_DIR/panel-*.log
Ctrl-C stops every node.
EOF

if [ "$CHECK" -eq 1 ]; then
  body='{"model":"openfusion","messages":[{"role":"user","content":"Compare Postgres and SQLite for a small SaaS."}]}'
  answer="$(curl -sS --max-time 60 "$URL/v1/chat/completions" -H 'content-type: application/json' -d "$body")"
  echo "answer: ${answer:0:300}..." >&2
  sleep 1   # the member-call log lines are written when each call ends
  calls=0
  for i in $(seq 1 "$PANEL_NODES"); do
    # one openfusion.upstream line per member call the node made
    n=$(grep '"phase":"panel"' "$LOG_DIR/panel-$i.log" | grep -c '"outcome":"success"' || true)
    echo "panel-$i answered $n member call(s): $(grep '"phase":"panel"' "$LOG_DIR/panel-$i.log" \
      | grep '"outcome":"success"' | grep -o '"model":"[^"]*"' | tr '\n' ' ')" >&2
    calls=$((calls + n))
  done
  [ "$calls" -ge 1 ] || { echo "check failed: no panel node answered a member call" >&2; exit 1; }
  echo "check passed" >&2
  exit 0
fi

# run until Ctrl-C, or until a node dies
while true; do
  for pid in "${PIDS[@]}"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "node pid $pid exited; stopping the cluster" >&2
      exit 1
    fi
  done
  sleep 2
done
