#!/usr/bin/env bash
# Contract testing as an API consumer would: schemathesis (PyPI, in a virtualenv of its own under
# .data/) runs every check over /docs/openapi.json against the whole system, started here as
# `npm start` starts it. Exits non-zero on any failure. Used by .ci/run; run it by hand the same way.
set -uo pipefail
cd "$(dirname "$0")/.."

VENV=.data/schemathesis-venv
SCHEMATHESIS_VERSION=4.32.5
PORT=${CONTRACT_PORT:-3300}
export PORT CLIENTS_PORT=${CONTRACT_CLIENTS_PORT:-3401} IMPORT_MATCHING_PORT=${CONTRACT_IMPORT_PORT:-3402} CRM_PORT=${CONTRACT_CRM_PORT:-3403} KNOWLEDGE_BASE_PORT=${CONTRACT_KB_PORT:-3404} INVOICES_PORT=${CONTRACT_INVOICES_PORT:-3405}
export OPERATOR_KEY="cbo_contract_$(node -e 'console.log(require("node:crypto").randomBytes(24).toString("hex"))')"
export RATE_LIMIT_PER_MINUTE=10000000 LOG_LEVEL=error CLIENTBOOK_DB_PREFIX="contract_$$"

if [ ! -x "$VENV/bin/schemathesis" ] || ! "$VENV/bin/schemathesis" --version | grep -q "$SCHEMATHESIS_VERSION"; then
  echo "installing schemathesis $SCHEMATHESIS_VERSION into $VENV"
  python3 -m venv "$VENV" && "$VENV/bin/pip" install -q "schemathesis==$SCHEMATHESIS_VERSION" || exit 1
fi

node tools/start.js > .data/contract-system.log 2>&1 &
system=$!
trap 'kill -INT $system 2>/dev/null; wait $system 2>/dev/null' EXIT
# Up (GET /health 200), then a tenant whose admin key the run uses.
key=$(node -e '
  const base = `http://127.0.0.1:${process.env.PORT}`;
  (async () => {
    for (let i = 0; i < 180; i += 1) {
      const up = await fetch(`${base}/health`).then((r) => r.ok, () => false);
      if (up) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    const created = await fetch(`${base}/v1/tenants`, {
      method: "POST",
      headers: { authorization: `Bearer ${process.env.OPERATOR_KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ company: { name: "UAB Sutartis", code: "304567891" } }),
    });
    if (created.status !== 201) throw new Error(`no tenant: ${created.status}`);
    console.log((await created.json()).adminKey);
  })().catch((e) => { console.error(String(e)); process.exit(1); });
') || { echo "the system did not come up; see .data/contract-system.log"; exit 1; }

# schemathesis.toml (beside this repository's root) holds the one setting, and why.
"$VENV/bin/schemathesis" run "http://127.0.0.1:$PORT/docs/openapi.json" --checks all \
  -H "Authorization: Bearer $key" --workers 2 --max-time "${CONTRACT_SECONDS:-180}"
