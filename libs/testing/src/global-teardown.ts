export default async function globalTeardown(): Promise<void> {
  if (process.env.CLIENTBOOK_KEEP_INFRA === '1') return;
  await globalThis.__CLIENTBOOK_TEARDOWN__?.();
}
