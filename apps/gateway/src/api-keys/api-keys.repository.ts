import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Collection, Db } from 'mongodb';
import { MONGO_DB } from '@clientbook/platform';
import type { Role } from '../auth/principal';
import { digestKey } from '../operator/operator-key';

/** A stored key: `_id` is the SHA-256 of the key, so the key itself is never stored. */
type ApiKeyDocument = {
  _id: string;
  keyId: string;
  tenantId: string;
  role: Role;
  name: string | null;
  createdAt: Date;
};

export type IssuedKey = { id: string; key: string; role: Role; name: string | null };

/**
 * How long a looked-up key is trusted without asking the database again. A revocation takes
 * effect at once on this gateway and within this time on other instances.
 */
const KEY_CACHE_MS = 5_000;

@Injectable()
export class ApiKeys implements OnApplicationBootstrap {
  private readonly collection: Collection<ApiKeyDocument>;
  /** Keys looked up lately, by digest: the most recent 10,000, each for `KEY_CACHE_MS`. */
  private readonly recent = new LRUCache<string, ApiKeyDocument>({ max: 10_000, ttl: KEY_CACHE_MS });

  constructor(@Inject(MONGO_DB) db: Db) {
    this.collection = db.collection<ApiKeyDocument>('api_keys');
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.collection.createIndex({ tenantId: 1, keyId: 1 }, { unique: true });
  }

  /** A new random key (256 bits), shown to the caller once. */
  async issue(tenantId: string, role: Role, name: string | null): Promise<IssuedKey> {
    const key = `cbk_${randomBytes(32).toString('base64url')}`;
    const id = randomUUID();
    await this.collection.insertOne({
      _id: digestKey(key).toString('hex'),
      keyId: id,
      tenantId,
      role,
      name,
      createdAt: new Date(),
    });
    return { id, key, role, name };
  }

  /**
   * The key's record, found by its digest. The lookup is by the digest of a 256-bit random key,
   * so it reveals nothing about other keys; no key text is compared.
   */
  async find(key: string): Promise<ApiKeyDocument | null> {
    const digest = digestKey(key).toString('hex');
    const cached = this.recent.get(digest);
    if (cached) return cached;
    const record = await this.collection.findOne({ _id: digest });
    if (record) this.recent.set(digest, record);
    return record;
  }

  /** Revokes every key of the tenant issued under `name` (the first admin key, when it is issued again). */
  async revokeNamed(tenantId: string, name: string): Promise<void> {
    const named = await this.collection
      .find({ tenantId, name })
      .project<{ keyId: string }>({ keyId: 1 })
      .toArray();
    for (const { keyId } of named) await this.revoke(tenantId, keyId);
  }

  async revoke(tenantId: string, keyId: string): Promise<boolean> {
    const result = await this.collection.deleteOne({ tenantId, keyId });
    for (const [digest, record] of this.recent.entries())
      if (record.tenantId === tenantId && record.keyId === keyId) this.recent.delete(digest);
    return result.deletedCount === 1;
  }
}
