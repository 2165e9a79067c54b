// The core entry: the bytes are in memory, no file or stream reading is needed.
import { fileTypeFromBuffer } from 'file-type/core';

/** The images a lesson step may show. */
export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];

/** What the bytes are, read from the bytes themselves (never the header): an image we take, or null. */
export async function imageTypeOf(bytes: Uint8Array): Promise<ImageType | null> {
  if (bytes.length === 0) return null;
  const found = await fileTypeFromBuffer(bytes);
  return found && (IMAGE_TYPES as readonly string[]).includes(found.mime) ? (found.mime as ImageType) : null;
}
