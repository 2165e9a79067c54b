// n2words publishes its types under `exports`, which this repository's `moduleResolution: node`
// does not read; what we use of it, as its own lt-LT.d.ts declares it.
declare module 'n2words/lt-LT' {
  export function toCardinal(value: number | string | bigint, options?: { gender?: string }): string;
}
