#!/usr/bin/env bash
# Throughput of a tenant's themed home page served through the Studio host vs. the home page of a bare Razor
# Pages app (bench/BareApp, the `dotnet new webapp` template), in the same run on the same machine.
#
#   bench/throughput.sh                  # 5 rounds, wrk -t2 -c32 -d15s per measurement
#   ROUNDS=3 DURATION=10s bench/throughput.sh
#
# Both apps are built in Release and run on 127.0.0.1 only (Production environment, logging at Warning). Each
# round measures the host, then the bare app, the same way (warm-up, then one bounded wrk run each); the script
# prints every round's req/s and ratio, then the median ratio, and stops both servers itself (also on Ctrl-C).
# On a small machine wrk and the server share the cores: absolute numbers are lower than on a dedicated load
# generator, but both apps pay the same price, which is what the ratio compares.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROUNDS="${ROUNDS:-5}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-32}"
DURATION="${DURATION:-15s}"
WARMUP="${WARMUP:-5s}"
HOST_PORT="${HOST_PORT:-5181}"
BARE_PORT="${BARE_PORT:-5182}"
TENANT_HOST="${TENANT_HOST:-demo.localhost}"   # the demo tenant seeded on first run (Midnight theme, brand, nav)
WRK="${WRK:-wrk}"

command -v "$WRK" >/dev/null || { echo "wrk is required (apt-get install wrk)" >&2; exit 1; }

DATA="$(mktemp -d /tmp/studio-bench.XXXXXX)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$DATA"
}
trap cleanup EXIT INT TERM

for port in "$HOST_PORT" "$BARE_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "port $port on 127.0.0.1 is already in use; set HOST_PORT/BARE_PORT" >&2; exit 1
  fi
done

echo "== building (Release)"
dotnet build "$ROOT/src/Studio.Host/Studio.Host.csproj" -c Release -nologo -v q >/dev/null
dotnet build "$ROOT/bench/BareApp/BareApp.csproj" -c Release -nologo -v q >/dev/null

common_env=(ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning Logging__LogLevel__Microsoft.AspNetCore=Warning)

echo "== starting the Studio host on 127.0.0.1:$HOST_PORT (SQLite in $DATA) and BareApp on 127.0.0.1:$BARE_PORT"
# Each app runs from its project folder, its content root, as `dotnet run` would.
(cd "$ROOT/src/Studio.Host" && exec env "${common_env[@]}" ASPNETCORE_URLS="http://127.0.0.1:$HOST_PORT" \
  Studio__DataPath="$DATA" Studio__SeedDemoTenant=true \
  dotnet bin/Release/net10.0/Studio.Host.dll >"$DATA/host.log" 2>&1) &
PIDS+=($!)
(cd "$ROOT/bench/BareApp" && exec env "${common_env[@]}" ASPNETCORE_URLS="http://127.0.0.1:$BARE_PORT" \
  dotnet bin/Release/net10.0/BareApp.dll >"$DATA/bare.log" 2>&1) &
PIDS+=($!)

wait_ready() { # url host-header
  for _ in $(seq 1 120); do
    if [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Host: $2" "$1")" = 200 ]; then return 0; fi
    sleep 0.5
  done
  echo "no 200 from $1 (Host: $2) after 60 s; logs:" >&2; cat "$DATA"/*.log >&2; exit 1
}
wait_ready "http://127.0.0.1:$HOST_PORT/" "$TENANT_HOST"
wait_ready "http://127.0.0.1:$BARE_PORT/" "127.0.0.1"

host_page="$(curl -s -H "Host: $TENANT_HOST" "http://127.0.0.1:$HOST_PORT/")"
bare_page="$(curl -s "http://127.0.0.1:$BARE_PORT/")"
# Compare like with like: the host's page must be the tenant's themed page with its brand stylesheet and nav.
for needle in 'data-theme=' '/brand.css?v=' '<nav'; do
  grep -qF "$needle" <<<"$host_page" || { echo "host page lacks '$needle' — not a themed tenant page" >&2; exit 1; }
done
echo "   host page: ${#host_page} chars ($TENANT_HOST /), bare page: ${#bare_page} chars (/)"

measure() { # url host-header -> prints req/s
  local out
  "$WRK" -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -H "Host: $2" "$1" >/dev/null
  out="$("$WRK" -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -H "Host: $2" "$1")"
  if grep -q 'Non-2xx' <<<"$out"; then echo "non-2xx responses from $1:" >&2; echo "$out" >&2; exit 1; fi
  awk '/Requests\/sec/ {print $2}' <<<"$out"
}

echo "== $ROUNDS rounds: wrk -t$THREADS -c$CONNECTIONS -d$DURATION (after a $WARMUP warm-up) on $(nproc) cores"
printf '%-6s %14s %14s %8s\n' round host_req/s bare_req/s ratio
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
ratios=(); hosts=(); bares=()
for round in $(seq 1 "$ROUNDS"); do
  # Alternate which app goes first, so a change in background load during a round does not always favour one.
  if (( round % 2 )); then
    host_rps="$(measure "http://127.0.0.1:$HOST_PORT/" "$TENANT_HOST")"
    bare_rps="$(measure "http://127.0.0.1:$BARE_PORT/" "127.0.0.1:$BARE_PORT")"
  else
    bare_rps="$(measure "http://127.0.0.1:$BARE_PORT/" "127.0.0.1:$BARE_PORT")"
    host_rps="$(measure "http://127.0.0.1:$HOST_PORT/" "$TENANT_HOST")"
  fi
  ratio="$(awk -v h="$host_rps" -v b="$bare_rps" 'BEGIN {printf "%.3f", h / b}')"
  ratios+=("$ratio"); hosts+=("$host_rps"); bares+=("$bare_rps")
  printf '%-6s %14s %14s %8s\n' "$round" "$host_rps" "$bare_rps" "$ratio"
done

printf '%-6s %14s %14s %8s\n' median "$(printf '%s\n' "${hosts[@]}" | median)" "$(printf '%s\n' "${bares[@]}" | median)" \
  "$(printf '%s\n' "${ratios[@]}" | median)"
echo "median ratio host/bare: $(printf '%s\n' "${ratios[@]}" | median) (target >= 0.80); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
if grep -qE '^(warn|fail|crit)' "$DATA"/*.log; then
  echo "== warnings or errors logged during the run:"; grep -hE -A3 '^(warn|fail|crit)' "$DATA"/*.log
fi
