#!/usr/bin/env node
// `node tools/liveness.cjs <url>`: exit 0 when the URL answers at all within 4 s (any status: a
// 503 from a service whose Kafka is down is still a live process), 1 when it does not. The
// containers' health checks (docker-compose.yml) run it; the image has no curl.
'use strict';

fetch(process.argv[2], { signal: AbortSignal.timeout(4000) }).then(
  () => process.exit(0),
  () => process.exit(1),
);
