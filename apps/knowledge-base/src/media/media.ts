import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { GridFSBucket, type Db } from 'mongodb';
import { atCurrentVersions, KB_MEDIA_AGGREGATE, KB_TENANT } from '@clientbook/contracts';
import { EventStore, isDuplicateKeyError, VersionConflictError } from '@clientbook/event-store';
import { type Caller, MONGO_DB } from '@clientbook/platform';
import { KbError } from '../domain';
import { type ImageType, imageTypeOf } from './image-type';

export const MAX_MEDIA_BYTES = 5 * 1024 * 1024;

export type StoredMedia = { mediaId: string; type: ImageType; bytes: number };

/**
 * Images for lesson steps, in MongoDB (GridFS: files and chunks of 255 KiB), not on a disk, so
 * every instance serves them. An image's id is the SHA-256 of its bytes: the same image uploaded
 * twice is one image, and its id is its ETag.
 */
@Injectable()
export class Media {
  private readonly bucket: GridFSBucket;

  constructor(
    @Inject(MONGO_DB) db: Db,
    private readonly store: EventStore,
  ) {
    this.bucket = new GridFSBucket(db, { bucketName: 'kb_media' });
  }

  async upload(caller: Caller, bytes: Buffer): Promise<StoredMedia> {
    if (bytes.length > MAX_MEDIA_BYTES)
      throw new KbError('payload_too_large', `an image may be up to ${MAX_MEDIA_BYTES} bytes`);
    const type = await imageTypeOf(bytes);
    if (!type) throw new KbError('unsupported_media_type', 'send a PNG, JPEG or WebP image');
    const mediaId = createHash('sha256').update(bytes).digest('hex');
    const stored = { mediaId, type, bytes: bytes.length };
    if (await this.find(mediaId)) return stored;
    try {
      await new Promise<void>((resolve, reject) => {
        const upload = this.bucket.openUploadStreamWithId(mediaId as never, mediaId, { metadata: { type } });
        upload.once('finish', () => resolve());
        upload.once('error', reject);
        upload.end(bytes);
      });
    } catch (error) {
      // The same image stored at the same moment by another request (or instance): it is there.
      if (!isDuplicateKeyError(error)) throw error;
    }
    try {
      await this.store.append({
        tenantId: KB_TENANT,
        aggregateType: KB_MEDIA_AGGREGATE,
        aggregateId: mediaId,
        expectedVersion: 0,
        events: [...atCurrentVersions([{ type: 'MediaUploaded', data: stored }])],
        metadata: { actor: caller.actor, correlationId: caller.correlationId, causationId: null },
      });
    } catch (error) {
      // Uploaded at the same moment by another request: one image, one event.
      if (!(error instanceof VersionConflictError)) throw error;
    }
    return stored;
  }

  async find(mediaId: string): Promise<StoredMedia | null> {
    if (!/^[0-9a-f]{64}$/.test(mediaId)) return null;
    const [file] = await this.bucket.find({ _id: mediaId as never }).toArray();
    if (!file) return null;
    return {
      mediaId,
      type: (file.metadata?.type ?? 'application/octet-stream') as ImageType,
      bytes: file.length,
    };
  }

  read(mediaId: string): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      this.bucket
        .openDownloadStream(mediaId as never)
        .on('data', (chunk: Buffer) => chunks.push(chunk))
        .once('end', () => resolve(Buffer.concat(chunks)))
        .once('error', reject);
    });
  }
}
