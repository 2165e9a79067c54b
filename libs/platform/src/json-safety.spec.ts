import { hostileJsonProblem } from './json-safety';

describe('hostile JSON bodies', () => {
  const nested = (depth: number) => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`);

  it('takes 100 levels and refuses 101, without recursion at any depth', () => {
    expect(hostileJsonProblem({ a: nested(99) })).toBeNull();
    expect(hostileJsonProblem({ a: nested(100) })).toEqual({
      field: expect.stringMatching(/^a[[\]0]{150,}…$/), // cut at 200 characters
      message: 'nests deeper than 100 levels',
    });
    expect(hostileJsonProblem(nested(1_000_000))?.message).toBe('nests deeper than 100 levels');
  });

  it.each([
    ['{"__proto__":{"x":1}}', '__proto__'],
    ['{"a":[{"constructor":{}}]}', 'a[0].constructor'],
    ['{"b":{"prototype":1}}', 'b.prototype'],
  ])('refuses %s, naming %s', (json, field) => {
    expect(hostileJsonProblem(JSON.parse(json))).toEqual({ field, message: 'is not a field this API has' });
  });

  it('refuses a NUL in a string or a key', () => {
    expect(hostileJsonProblem({ ids: ['a', '\u0000'] })).toEqual({
      field: 'ids[1]',
      message: 'must not hold a NUL character',
    });
    expect(hostileJsonProblem({ 'a\u0000': 1 })?.message).toContain('NUL');
  });

  it('passes ordinary bodies, including words like "constructor" as values', () => {
    expect(
      hostileJsonProblem({ name: 'constructor', notes: '__proto__', n: 1, ok: true, none: null }),
    ).toBeNull();
  });
});
