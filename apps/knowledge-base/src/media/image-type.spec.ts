import { tinyPng } from '@clientbook/testing';
import { imageTypeOf } from './image-type';

describe('reading an image’s type from its bytes', () => {
  it('knows PNG, JPEG and WebP by their bytes', async () => {
    expect(await imageTypeOf(tinyPng())).toBe('image/png');
    const jpeg = Buffer.from([
      0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
    ]);
    expect(await imageTypeOf(jpeg)).toBe('image/jpeg');
    const webp = Buffer.concat([
      Buffer.from('RIFF'),
      Buffer.from([36, 0, 0, 0]),
      Buffer.from('WEBPVP8 '),
      Buffer.alloc(24),
    ]);
    expect(await imageTypeOf(webp)).toBe('image/webp');
  });

  it('refuses what is not one of them, whatever it is called: a GIF, a PDF, text, nothing', async () => {
    expect(await imageTypeOf(Buffer.from('GIF89a\u0001\u0000\u0001\u0000\u0000\u0000\u0000;'))).toBeNull();
    expect(await imageTypeOf(Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n'))).toBeNull();
    expect(await imageTypeOf(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    expect(await imageTypeOf(Buffer.alloc(0))).toBeNull();
  });
});
