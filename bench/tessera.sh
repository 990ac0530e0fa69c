#!/usr/bin/env bash
# Benchmark harness (not a CI step): Trustmark's log engine on files
# (bench/logserver, in the bench module) against Tessera's POSIX conformance server,
# side by side on this machine, with Tessera's own tools built from the Go
# module proxy:
#   1. Tessera's integration test (TestLiveLogIntegration) and fsck against
#      Trustmark's log: it must pass as a tlog-tiles log;
#   2. sustained appends per second to a published checkpoint: Tessera's
#      hammer writes LEAVES leaves of 512 bytes (--dup_chance=0, no
#      antispam, checkpoint interval 1 s on both), the clock stops when the
#      log's checkpoint covers them all; also the steady rate, the published
#      checkpoint's growth between 20% and 90% of LEAVES; runs alternate,
#      median of RUNS;
#   3. cold inclusion-proof latency over HTTP (bench/proofbench) on the
#      resulting trees.
# Trustmark runs twice per round: with its fasthttp front end for POST /add
# (`trustmark`, the default of logserver) and all on net/http
# (`trustmark-nethttp`), so that the front end's share is visible.
# Usage: bench/tessera.sh            (RUNS=3 LEAVES=300000 WRITERS=512
#                                     LOGS="tessera trustmark trustmark-nethttp")
set -euo pipefail
cd "$(dirname "$0")/.."

TESSERA=v1.0.4
RUNS=${RUNS:-3}
LEAVES=${LEAVES:-300000}
WRITERS=${WRITERS:-512}
LOGS=${LOGS:-tessera trustmark trustmark-nethttp}
OUT=bench/out
BIN=$PWD/$OUT/bin
mkdir -p "$BIN"
log() { printf 'tessera.sh: %s\n' "$*" >&2; }

log "building Tessera $TESSERA's posix server, hammer and fsck, and the bench's log server"
GOBIN=$BIN GOFLAGS= go install \
  github.com/transparency-dev/tessera/cmd/conformance/posix@$TESSERA \
  github.com/transparency-dev/tessera/internal/hammer@$TESSERA \
  github.com/transparency-dev/tessera/cmd/fsck@$TESSERA
(cd bench && go build -o "$BIN/logserver" ./logserver && go build -o "$BIN/proofbench" ./proofbench)
TESSERA_SRC=$(GOFLAGS= go mod download -json github.com/transparency-dev/tessera@$TESSERA | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
# Tessera's integration test, compiled before any timed run.
(cd "$TESSERA_SRC" && GOFLAGS= go test -c -o "$BIN/integration.test" ./integration)

# One key for both logs (a note signer key), made by the bench's log server.
rm -rf "$OUT/key" && mkdir -p "$OUT/key"
SKEY=$OUT/key/log.key
VKEY=$("$BIN/logserver" --new-key "$SKEY" --origin bench.trustmark.example/log)
echo "$VKEY" > "$OUT/key/vkey"
log "key $VKEY"

PID=
stop() { if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; PID=; fi; }
trap stop EXIT

# start NAME PORT DIR: starts a fresh log server.
start() {
  local name=$1 port=$2 dir=$3
  rm -rf "$dir" && mkdir -p "$dir"
  case $name in
    tessera) "$BIN/posix" --storage_dir="$dir" --listen=127.0.0.1:$port --private_key="$SKEY" >"$dir.log" 2>&1 & ;;
    trustmark) "$BIN/logserver" --addr 127.0.0.1:$port --dir "$dir" --key-file "$SKEY" >"$dir.log" 2>&1 & ;;
    trustmark-nethttp) "$BIN/logserver" --frontend nethttp --addr 127.0.0.1:$port --dir "$dir" --key-file "$SKEY" >"$dir.log" 2>&1 & ;;
  esac
  PID=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/checkpoint" >/dev/null && return; sleep 0.1; done
  log "$name did not start"; cat "$dir.log"; exit 1
}

size() { curl -sf "http://127.0.0.1:$1/checkpoint" | sed -n 2p; }

# run NAME: appends LEAVES leaves with the hammer, prints appends/s to checkpoint.
run() {
  local name=$1 port=2040 dir=$PWD/$OUT/$1
  start "$name" $port "$dir"
  # Sample the checkpoint's size every 100 ms while the hammer runs: the
  # steady rate is taken between 20% and 90% of LEAVES, without the
  # hammer's start (its throttle hands out the first tokens after 1 s) and
  # the last checkpoint's wait.
  ( while sleep 0.1; do printf '%s %s\n' "$(date +%s.%N)" "$(size $port)"; done ) >"$dir.sizes" 2>/dev/null &
  local sampler=$!
  local t0; t0=$(date +%s.%N)
  "$BIN/hammer" --log_url=http://127.0.0.1:$port/ --log_public_key="$VKEY" \
    --max_read_ops=0 --num_readers_random=0 --num_readers_full=0 \
    --num_writers="$WRITERS" --max_write_ops=1000000 --leaf_min_size=512 --dup_chance=0 \
    --leaf_write_goal="$LEAVES" --max_runtime=10m --show_ui=false >"$dir.hammer.log" 2>&1 \
    || { log "$name: hammer failed"; tail "$dir.hammer.log"; exit 1; }
  until [ "$(size $port)" -ge "$LEAVES" ] 2>/dev/null; do sleep 0.02; done
  local t1; t1=$(date +%s.%N)
  kill $sampler 2>/dev/null || true; wait $sampler 2>/dev/null || true
  local rate; rate=$(echo "$LEAVES / ($t1 - $t0)" | bc -l)
  local steady; steady=$(awk -v lo=$((LEAVES / 5)) -v hi=$((LEAVES * 9 / 10)) \
    '$2 != "" && !t1 && $2 >= lo {t1 = $1; s1 = $2} $2 != "" && !t2 && $2 >= hi {t2 = $1; s2 = $2} END {if (t2 > t1) printf "%.0f", (s2 - s1) / (t2 - t1); else print "?"}' "$dir.sizes")
  # The server's CPU time per append (user+system), a figure the machine's
  # other load disturbs less than the rate.
  local ticks; ticks=$(awk '{print $14 + $15}' /proc/$PID/stat)
  local cpu; cpu=$(echo "$ticks * 1000000 / $(getconf CLK_TCK) / $(size $port)" | bc -l)
  printf '%s %.0f appends/s, steady %s/s, %.1f us server CPU per append, load %s\n' "$name" "$rate" "$steady" "$cpu" "$(cut -d' ' -f1 /proc/loadavg)"
  "$BIN/proofbench" --log http://127.0.0.1:$port/ --key "$VKEY" --n 2000 | sed "s/^/$name /" >&2
  grep 'traceability log: appends' "$dir.log" | sed "s/^/$name /" >&2 || true
  if [ "$name" != tessera ]; then
    log "fsck of Trustmark's log ($name)"
    "$BIN/fsck" --storage_url=http://127.0.0.1:$port/ --public_key="$OUT/key/vkey" --N=4 --ui=false >"$dir.fsck.log" 2>&1 \
      || { log "fsck failed"; tail "$dir.fsck.log"; exit 1; }
  fi
  if [ "$name" != tessera ] && [ ! -e "$OUT/integration.$name" ]; then
    log "Tessera's TestLiveLogIntegration against Trustmark's log ($name)"
    (cd "$TESSERA_SRC/integration" && "$BIN/integration.test" -test.run TestLiveLogIntegration -test.count=1 \
       --run_integration_test --log_url=http://127.0.0.1:$port/ --write_log_url=http://127.0.0.1:$port/ \
       --log_public_key="$VKEY" --test_entry_size=1024) >"$dir.integration.log" 2>&1 \
      || { log "integration test failed"; tail "$dir.integration.log"; exit 1; }
    touch "$OUT/integration.$name" # once per front end and harness run
  fi
  stop
}

results=$OUT/results.txt
: >"$results"
rm -f "$OUT"/integration.trustmark*
read -r -a logs <<<"$LOGS"
for r in $(seq 1 "$RUNS"); do
  # Alternate: forward on odd rounds, reversed on even ones.
  order=("${logs[@]}")
  if [ $((r % 2)) = 0 ]; then order=(); for ((i=${#logs[@]}-1; i>=0; i--)); do order+=("${logs[i]}"); done; fi
  for name in "${order[@]}"; do
    run "$name" | tee -a "$results"
  done
done
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for name in "${logs[@]}"; do
  printf '%s median appends/s to checkpoint: %s, steady: %s\n' "$name" \
    "$(grep "^$name " "$results" | awk '{print $2}' | median)" \
    "$(grep "^$name " "$results" | sed 's/.*steady \([0-9?]*\).*/\1/' | median)"
done
