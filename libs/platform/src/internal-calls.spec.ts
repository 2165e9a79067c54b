import {
  InternalCall,
  SIGNATURE_MAX_AGE_MS,
  signedCallerHeaders,
  verifyCallerHeaders,
} from './internal-calls';

describe('signed internal calls', () => {
  const secret = 'a-test-secret-that-is-long-enough-0123456789';
  const call: InternalCall = {
    method: 'PATCH',
    target: '/v1/settings?x=1',
    tenantId: 'tenant-a',
    actor: { kind: 'api_key', id: 'key-1', role: 'user' },
    correlationId: 'corr-1',
  };
  const now = 1_800_000_000_000;
  const verify = (headers: Record<string, string>, changes: Partial<InternalCall> = {}, at = now) =>
    verifyCallerHeaders(
      secret,
      { method: changes.method ?? call.method, target: changes.target ?? call.target, headers },
      at,
    );

  it('believes what it signed, within the time allowed', () => {
    const headers = signedCallerHeaders(secret, call, now);
    expect(verify(headers)).toEqual({ ok: true, call });
    expect(verify(headers, {}, now + SIGNATURE_MAX_AGE_MS).ok).toBe(true);
  });

  it.each([
    ['another tenant', { 'x-clientbook-tenant': 'tenant-b' }],
    ['another role', { 'x-clientbook-actor-role': 'admin' }],
    ['another actor', { 'x-clientbook-actor-id': 'key-2' }],
    ['another correlation id', { 'x-correlation-id': 'corr-2' }],
    ['no signature', { 'x-clientbook-signature': '' }],
  ])('refuses the headers with %s', (_name, change) => {
    expect(verify({ ...signedCallerHeaders(secret, call, now), ...change }).ok).toBe(false);
  });

  it('refuses another method or target, a stale call, and another secret', () => {
    const headers = signedCallerHeaders(secret, call, now);
    expect(verify(headers, { method: 'GET' }).ok).toBe(false);
    expect(verify(headers, { target: '/internal/operations' }).ok).toBe(false);
    expect(verify(headers, {}, now + SIGNATURE_MAX_AGE_MS + 1)).toEqual({
      ok: false,
      reason: 'the signature is stale',
    });
    expect(verify(signedCallerHeaders(`${secret}x`, call, now))).toEqual({
      ok: false,
      reason: 'the signature does not match',
    });
  });
});
