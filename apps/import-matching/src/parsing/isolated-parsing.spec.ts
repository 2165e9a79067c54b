import { parseIsolated } from './isolated-parsing';

describe('parsing in a process of its own', () => {
  const csv = (text: string) =>
    ({
      kind: 'clients',
      bytes: Buffer.from(text),
      format: 'csv',
      charset: 'utf-8',
      mappingJson: undefined,
    }) as const;

  it('parses a file and hands the rows back', async () => {
    const parsed = await parseIsolated(csv('name;code\nUAB Gija;300000070\n'));
    expect(parsed).toEqual({
      kind: 'clients',
      file: { rows: [{ line: 2, values: { name: 'UAB Gija', code: '300000070' } }], ignoredColumns: [] },
    });
  });

  it('hands a refusal back with its code and message', async () => {
    await expect(parseIsolated(csv('name\n"UAB Atvira\n'))).rejects.toMatchObject({
      code: 'unparseable_file',
      message: 'line 2: a quoted field is never closed',
    });
  });

  it('fails a file that needs more heap than its process may have, and the process goes on', async () => {
    const big = csv(`name,city\n${'UAB Didelė Įmonė,Vilnius\n'.repeat(400_000)}`);
    await expect(parseIsolated(big, { heapMb: 24, timeMs: 60_000 })).rejects.toMatchObject({
      code: 'payload_too_large',
      message: expect.stringContaining('more than 24 MiB'),
    });
    expect((await parseIsolated(csv('name\nUAB Po\n'))).kind).toBe('clients');
  }, 30_000);

  it('fails a file that takes longer than its time budget', async () => {
    await expect(parseIsolated(csv('name\nUAB Lėta\n'), { heapMb: 512, timeMs: 1 })).rejects.toMatchObject({
      code: 'payload_too_large',
      message: expect.stringContaining('longer than 0.001 s'),
    });
  });
});
