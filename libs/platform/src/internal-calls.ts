import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Actor } from '@clientbook/contracts';
import { CORRELATION_HEADER } from './correlation';

/**
 * Headers by which a caller on the internal network (the gateway, another service) tells a
 * service who is calling. They are believed only with a fresh signature over them (ADR 0008).
 */
export const CALLER_HEADERS = {
  tenant: 'x-clientbook-tenant',
  actorKind: 'x-clientbook-actor-kind',
  actorId: 'x-clientbook-actor-id',
  actorRole: 'x-clientbook-actor-role',
  timestamp: 'x-clientbook-timestamp',
  signature: 'x-clientbook-signature',
} as const;

/** How far a signed call's clock may be from the service's: older calls are refused as replays. */
export const SIGNATURE_MAX_AGE_MS = 30_000;

/** The fewest characters a shared secret may have. */
const MIN_SECRET_LENGTH = 32;

/** What a signature covers: everything a service trusts about the call except its body. */
export type InternalCall = Readonly<{
  method: string;
  /** The request target as sent: path and query string. */
  target: string;
  tenantId: string;
  actor: Actor;
  correlationId: string;
}>;

function signatureOf(secret: string, call: InternalCall, timestamp: string): Buffer {
  const canonical = [
    'clientbook-v1',
    call.method.toUpperCase(),
    call.target,
    call.tenantId,
    call.actor.kind,
    call.actor.id,
    call.actor.role ?? '',
    call.correlationId,
    timestamp,
  ].join('\n');
  return createHmac('sha256', secret).update(canonical, 'utf8').digest();
}

/** The headers that carry the caller and its signature. */
export function signedCallerHeaders(
  secret: string,
  call: InternalCall,
  now = Date.now(),
): Record<string, string> {
  const timestamp = String(now);
  return {
    [CALLER_HEADERS.tenant]: call.tenantId,
    [CALLER_HEADERS.actorKind]: call.actor.kind,
    [CALLER_HEADERS.actorId]: call.actor.id,
    ...(call.actor.role ? { [CALLER_HEADERS.actorRole]: call.actor.role } : {}),
    [CORRELATION_HEADER]: call.correlationId,
    [CALLER_HEADERS.timestamp]: timestamp,
    [CALLER_HEADERS.signature]: signatureOf(secret, call, timestamp).toString('base64url'),
  };
}

const KINDS: ReadonlySet<string> = new Set(['api_key', 'operator', 'system']);
const ROLES: ReadonlySet<string> = new Set(['admin', 'user', 'auditor']);

export type VerifiedCall = { ok: true; call: InternalCall } | { ok: false; reason: string };

/**
 * The caller a request's headers name, when their signature is right and fresh; otherwise why not.
 * Never throws on what a request carries.
 */
export function verifyCallerHeaders(
  secret: string,
  request: {
    method: string;
    target: string;
    headers: Readonly<Record<string, string | string[] | undefined>>;
  },
  now = Date.now(),
): VerifiedCall {
  const header = (name: string): string => {
    const value = request.headers[name];
    return typeof value === 'string' ? value : '';
  };
  const timestamp = header(CALLER_HEADERS.timestamp);
  const signature = header(CALLER_HEADERS.signature);
  if (!timestamp || !signature) return { ok: false, reason: 'the call is not signed' };
  const at = /^\d{1,15}$/.test(timestamp) ? Number(timestamp) : NaN;
  if (!Number.isFinite(at) || Math.abs(now - at) > SIGNATURE_MAX_AGE_MS)
    return { ok: false, reason: 'the signature is stale' };
  const kind = header(CALLER_HEADERS.actorKind);
  const role = header(CALLER_HEADERS.actorRole);
  if (!KINDS.has(kind) || (role && !ROLES.has(role)))
    return { ok: false, reason: 'unknown caller kind or role' };
  const call: InternalCall = {
    method: request.method,
    target: request.target,
    tenantId: header(CALLER_HEADERS.tenant),
    actor: {
      kind: kind as Actor['kind'],
      id: header(CALLER_HEADERS.actorId),
      ...(role ? { role: role as NonNullable<Actor['role']> } : {}),
    },
    correlationId: header(CORRELATION_HEADER),
  };
  const expected = signatureOf(secret, call, timestamp);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'the signature does not match' };
  return { ok: true, call };
}

export type InternalResponse = { status: number; headers: Headers; body: Buffer };

/** The service that was called did not answer (down, restarting, or too slow). */
export class ServiceUnavailableError extends Error {
  readonly code = 'unavailable';

  constructor(readonly service: string) {
    super(`the ${service} service does not answer; try again shortly`);
  }
}

/**
 * Calls another service on the internal network as `call` says, signed with the shared secret.
 * The target is signed exactly as sent, so build it already encoded.
 */
export async function callService(
  secret: string,
  service: { name: string; baseUrl: string },
  call: InternalCall,
  options: { headers?: Readonly<Record<string, string>>; body?: Buffer | string; timeoutMs?: number } = {},
): Promise<InternalResponse> {
  const url = new URL(call.target, service.baseUrl);
  // What fetch sends is the URL's own serialization: sign that, so the service sees the same bytes.
  const signed: InternalCall = { ...call, target: `${url.pathname}${url.search}` };
  let response: Response;
  try {
    response = await fetch(url, {
      method: call.method,
      headers: { ...options.headers, ...signedCallerHeaders(secret, signed) },
      body: options.body && options.body.length > 0 ? options.body : undefined,
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs ?? 120_000),
    });
  } catch {
    throw new ServiceUnavailableError(service.name);
  }
  return {
    status: response.status,
    headers: response.headers,
    body: Buffer.from(await response.arrayBuffer()),
  };
}

/**
 * What another service's internal GET answers, as JSON: null when it says there is no such thing
 * (404, or 400 for an id it cannot even read); a service away or failing is `unavailable` (503).
 */
export async function readFromService<T>(
  secret: string,
  service: { name: string; baseUrl: string },
  call: Omit<InternalCall, 'method'>,
  timeoutMs = 10_000,
): Promise<T | null> {
  const answer = await callService(secret, service, { ...call, method: 'GET' }, { timeoutMs });
  if (answer.status === 404 || answer.status === 400) return null;
  if (answer.status !== 200) throw new ServiceUnavailableError(service.name);
  return JSON.parse(answer.body.toString('utf8')) as T;
}

/**
 * The secret the gateway and the services sign internal calls with: CLIENTBOOK_INTERNAL_SECRET,
 * else `<dataDir>/internal-secret`, generated on the first start of whichever process needs it.
 */
export function loadInternalSecret(env: NodeJS.ProcessEnv, dataDir: string): string {
  const given = env.CLIENTBOOK_INTERNAL_SECRET;
  if (given) {
    if (given.length < MIN_SECRET_LENGTH)
      throw new Error(`CLIENTBOOK_INTERNAL_SECRET must have at least ${MIN_SECRET_LENGTH} characters`);
    return given;
  }
  const file = path.resolve(dataDir, 'internal-secret');
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // `wx`: of several processes starting at once, one writes it and the others read it.
    fs.writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  for (let attempt = 0; ; attempt += 1) {
    const secret = fs.readFileSync(file, 'utf8').trim();
    if (secret.length >= MIN_SECRET_LENGTH) return secret;
    // Another process created it a moment ago and is still writing it.
    if (attempt > 50) throw new Error(`${file} holds no usable secret; delete it to have a new one made`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  }
}
