#!/usr/bin/env bash
# Throughput of a tenant's themed home page served through the Studio host vs. the home page of a bare Razor
# Pages app (bench/BareApp, the `dotnet new webapp` template), in the same run on the same machine.
#
#   bench/throughput.sh                  # 5 rounds, wrk -t2 -c32 -d15s per measurement
#   ROUNDS=3 DURATION=10s bench/throughput.sh
#   SIGN_IN=owner@demo.localhost:demo-owner-password bench/throughput.sh   # the same page for a signed-in owner
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
SIGN_IN="${SIGN_IN:-}"                          # e-mail:password — measure the page signed in (session cookie,
                                                # its security stamp checked against the database on every request)
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

cookie_header=()
if [ -n "$SIGN_IN" ]; then
  # Sign in through the real form (antiforgery token and cookie from the GET), keep the session cookie for wrk.
  jar="$DATA/cookies.txt"
  form="$(curl -s -c "$jar" -H "Host: $TENANT_HOST" "http://127.0.0.1:$HOST_PORT/account/sign-in")"
  token="$(grep -o 'name="__RequestVerificationToken" type="hidden" value="[^"]*"' <<<"$form" | sed 's/.*value="//; s/"$//')"
  [ -n "$token" ] || { echo "no antiforgery token on the sign-in page" >&2; exit 1; }
  status="$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" -c "$jar" -H "Host: $TENANT_HOST" \
    --data-urlencode "Email=${SIGN_IN%%:*}" --data-urlencode "Password=${SIGN_IN#*:}" \
    --data-urlencode "__RequestVerificationToken=$token" "http://127.0.0.1:$HOST_PORT/account/sign-in")"
  [ "$status" = 302 ] || { echo "sign-in as ${SIGN_IN%%:*} answered $status, not a redirect" >&2; exit 1; }
  session="$(awk '$6 ~ /^\.Studio\.Session\./ {print $6 "=" $7}' "$jar")"
  [ -n "$session" ] || { echo "no session cookie after signing in" >&2; exit 1; }
  cookie_header=(-H "Cookie: $session")
fi

host_page="$(curl -s "${cookie_header[@]}" -H "Host: $TENANT_HOST" "http://127.0.0.1:$HOST_PORT/")"
bare_page="$(curl -s "http://127.0.0.1:$BARE_PORT/")"
# Compare like with like: the host's page must be the tenant's themed page with its brand stylesheet and nav.
needles=('data-theme=' '/brand.css?v=' '<nav')
[ -n "$SIGN_IN" ] && needles+=('/account/sign-out')   # the page is the signed-in one
for needle in "${needles[@]}"; do
  grep -qF "$needle" <<<"$host_page" || { echo "host page lacks '$needle' — not a themed tenant page" >&2; exit 1; }
done
echo "   host page: ${#host_page} chars ($TENANT_HOST /), bare page: ${#bare_page} chars (/)"

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # user + system time of a process, in clock ticks
TICK_US=$((1000000 / $(getconf CLK_TCK)))

measure() { # url host-header server-pid [extra wrk args] -> prints "req/s server-CPU-us-per-request"
  local out before after requests
  "$WRK" -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -H "Host: $2" "${@:4}" "$1" >/dev/null
  before="$(cpu_ticks "$3")"
  out="$("$WRK" -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -H "Host: $2" "${@:4}" "$1")"
  after="$(cpu_ticks "$3")"
  if grep -q 'Non-2xx' <<<"$out"; then echo "non-2xx responses from $1:" >&2; echo "$out" >&2; exit 1; fi
  requests="$(awk '/requests in/ {print $1}' <<<"$out")"
  awk -v rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")" -v t=$((after - before)) -v us="$TICK_US" -v n="$requests" \
    'BEGIN {printf "%s %.1f\n", rps, t * us / n}'
}

# Two figures per app and round: req/s (what the target is about), and the server's CPU time per request — the
# same comparison with the machine's other load mostly taken out (a shared 2-core box swings req/s a lot).
echo "== $ROUNDS rounds: wrk -t$THREADS -c$CONNECTIONS -d$DURATION (after a $WARMUP warm-up) on $(nproc) cores"
printf '%-6s %12s %12s %8s   %12s %12s %10s\n' round host_req/s bare_req/s ratio host_cpu_us bare_cpu_us bare/host
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
ratios=(); hosts=(); bares=(); cpu_ratios=(); host_cpus=(); bare_cpus=()
for round in $(seq 1 "$ROUNDS"); do
  # Alternate which app goes first, so a change in background load during a round does not always favour one.
  if (( round % 2 )); then
    read -r host_rps host_cpu < <(measure "http://127.0.0.1:$HOST_PORT/" "$TENANT_HOST" "${PIDS[0]}" "${cookie_header[@]}")
    read -r bare_rps bare_cpu < <(measure "http://127.0.0.1:$BARE_PORT/" "127.0.0.1:$BARE_PORT" "${PIDS[1]}")
  else
    read -r bare_rps bare_cpu < <(measure "http://127.0.0.1:$BARE_PORT/" "127.0.0.1:$BARE_PORT" "${PIDS[1]}")
    read -r host_rps host_cpu < <(measure "http://127.0.0.1:$HOST_PORT/" "$TENANT_HOST" "${PIDS[0]}" "${cookie_header[@]}")
  fi
  [ -n "$host_rps" ] && [ -n "$bare_rps" ] || { echo "a measurement failed" >&2; exit 1; }
  ratio="$(awk -v h="$host_rps" -v b="$bare_rps" 'BEGIN {printf "%.3f", h / b}')"
  cpu_ratio="$(awk -v h="$host_cpu" -v b="$bare_cpu" 'BEGIN {printf "%.3f", b / h}')"
  ratios+=("$ratio"); hosts+=("$host_rps"); bares+=("$bare_rps")
  cpu_ratios+=("$cpu_ratio"); host_cpus+=("$host_cpu"); bare_cpus+=("$bare_cpu")
  printf '%-6s %12s %12s %8s   %12s %12s %10s\n' "$round" "$host_rps" "$bare_rps" "$ratio" "$host_cpu" "$bare_cpu" "$cpu_ratio"
done

m() { printf '%s\n' "$@" | median; }
printf '%-6s %12s %12s %8s   %12s %12s %10s\n' median "$(m "${hosts[@]}")" "$(m "${bares[@]}")" "$(m "${ratios[@]}")" \
  "$(m "${host_cpus[@]}")" "$(m "${bare_cpus[@]}")" "$(m "${cpu_ratios[@]}")"
echo "median ratio host/bare req/s: $(m "${ratios[@]}") (target >= 0.80); by server CPU per request: $(m "${cpu_ratios[@]}")"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
if grep -qE '^(warn|fail|crit)' "$DATA"/*.log; then
  echo "== warnings or errors logged during the run:"; grep -hE -A3 '^(warn|fail|crit)' "$DATA"/*.log
fi
