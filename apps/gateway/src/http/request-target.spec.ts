import { unsafeTargetReason } from './request-target';

describe('request targets the gateway routes', () => {
  it.each([
    '/v1/clients',
    '/v1/clients/6f1c2a4e-0b9d-4c3e-9a51-2f0d7e1b8c33/addresses',
    '/v1/clients?q=%C5%A0ar%C5%ABnas&limit=50',
    '/v1/imports/clients?mapping=%7B%0A%20%20%22Pavadinimas%22%3A%20%22name%22%0A%7D',
    '/v1/clients/..abc',
    '/v1/clients/a.b',
  ])('lets %s through', (target) => {
    expect(unsafeTargetReason(target)).toBeNull();
  });

  it.each([
    ['/v1/imports/../settings', 'dot segment'],
    ['/v1/clients/%2e%2e/internal', 'dot segment'],
    ['/v1/clients/.%2E/internal', 'dot segment'],
    ['/v1/clients/%252e%252e/internal', 'dot segment'],
    ['/v1/clients/./x', 'dot segment'],
    ['/v1/clients\\..\\internal', 'backslash'],
    ['/v1/clients/%5c..%5cinternal', 'encoded slash or backslash'],
    ['/v1/clients/x%2F..%2Finternal', 'encoded slash or backslash'],
    ['/v1/clients/%00', 'control character'],
    ['/v1/clients/%E0%A4%A', 'malformed percent-encoding'],
    ['/v1/merges?clientId=%00', 'NUL'],
    ['http://evil.example/v1/clients', 'origin-form'],
    ['*', 'origin-form'],
    ['//evil.example/v1/clients', 'origin-form'],
  ])('refuses %s (%s)', (target, reason) => {
    expect(unsafeTargetReason(target)).toContain(reason);
  });
});
