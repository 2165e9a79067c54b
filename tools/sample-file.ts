// `npm run -s sample -- <kind>`: prints one of the sample files the tests use, to try the API
// with (README "Using the API"): `bank-statement` (camt.053 XML), `eshop-orders` (JSON) or
// `clients-csv` (our own CSV columns).
import { ourClientsCsv, sampleOrders, sampleStatement } from '@clientbook/testing';

const SAMPLES: Record<string, () => string | Buffer> = {
  'bank-statement': () => sampleStatement(),
  'eshop-orders': () => JSON.stringify(sampleOrders(), null, 2),
  'clients-csv': () => ourClientsCsv(),
};

const kind = process.argv[2] ?? '';
const sample = Object.hasOwn(SAMPLES, kind) ? SAMPLES[kind] : undefined;
if (!sample) {
  process.stderr.write(`usage: npm run -s sample -- ${Object.keys(SAMPLES).join(' | ')}\n`);
  process.exit(2);
}
process.stdout.write(sample());
