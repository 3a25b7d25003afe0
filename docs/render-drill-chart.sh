#!/usr/bin/env bash
# Renders docs/drill-chart.png, the README's picture, from a real drill run. Run by hand, never by CI
# (the PNG is committed). Needs JDK 17, Maven and Debian's chromium (apt-get install -y chromium).
#
#   docs/render-drill-chart.sh                      # installs the modules into ~/.m2, 60 s drill, screenshot
#   docs/render-drill-chart.sh -Dmaven.repo.local=/tmp/m2   # extra arguments go to every mvn call
#
# The screenshot is the top of report.html: title, notes and the requests-per-second chart. If the
# report's layout changes, adjust WIDTH/HEIGHT (environment) and look at the PNG before committing it.
set -euo pipefail
cd "$(dirname "$0")/.."

WIDTH="${WIDTH:-1000}"
HEIGHT="${HEIGHT:-530}"
DURATION="${DURATION:-60s}"
REPORT_DIR="$(mktemp -d)"
trap 'rm -rf "$REPORT_DIR"' EXIT

command -v chromium >/dev/null || { echo "chromium not found: apt-get install -y chromium" >&2; exit 1; }

# The drill resolves the library and the testkit from the local repository.
mvn -B -q install -DskipTests "$@"
mvn -B -q -pl samples/failover-drill exec:java -Dexec.args="--duration $DURATION --report $REPORT_DIR" "$@"

# Headless chromium logs D-Bus noise on a server; shown only when the screenshot fails.
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
    --screenshot="$PWD/docs/drill-chart.png" --window-size="$WIDTH,$HEIGHT" "file://$REPORT_DIR/report.html" \
    >"$REPORT_DIR/chromium.log" 2>&1 || { cat "$REPORT_DIR/chromium.log" >&2; exit 1; }
echo "Wrote docs/drill-chart.png (${WIDTH}x${HEIGHT}) from a ${DURATION} drill"
