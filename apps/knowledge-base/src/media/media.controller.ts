import { Controller, Get, Headers, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, CallableBy, Caller, CurrentCaller } from '@clientbook/platform';
import { KbError } from '../domain';
import { Media } from './media';

@ApiTags('knowledge base')
@Controller('v1/kb/media')
export class MediaController {
  constructor(private readonly media: Media) {}

  @Post()
  @HttpCode(201)
  @CallableBy('operator')
  @ApiBearerAuth()
  @ApiConsumes('image/png', 'image/jpeg', 'image/webp')
  @ApiBody({ schema: { type: 'string', format: 'binary' }, description: 'the image’s bytes, up to 5 MiB' })
  @ApiProblems([413, 415], { 403: 'forbidden: only the operator adds images' })
  @ApiResponse({ status: 201, description: '{ mediaId, url }: its id is the SHA-256 of its bytes' })
  @ApiOperation({
    summary: 'Store an image for lesson steps (operator): PNG, JPEG or WebP, read from its bytes',
  })
  async upload(@CurrentCaller() caller: Caller, @Req() request: Request) {
    const body: unknown = request.body;
    const stored = await this.media.upload(caller, Buffer.isBuffer(body) ? body : Buffer.alloc(0));
    return { mediaId: stored.mediaId, url: `/v1/kb/media/${stored.mediaId}` };
  }

  @Get(':mediaId')
  @CallableBy('public')
  @ApiProblems([404])
  @ApiResponse({
    status: 200,
    description: 'the image, with its type, ETag and a year of caching (it never changes)',
    content: {
      'image/png': { schema: { type: 'string', format: 'binary' } },
      'image/jpeg': { schema: { type: 'string', format: 'binary' } },
      'image/webp': { schema: { type: 'string', format: 'binary' } },
    },
  })
  @ApiResponse({ status: 304, description: 'If-None-Match named it: the copy the caller has is this one' })
  @ApiOperation({ summary: 'An image of a lesson step' })
  async serve(
    @Param('mediaId') mediaId: string,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() response: Response,
  ): Promise<void> {
    const found = await this.media.find(mediaId);
    if (!found) throw new KbError('not_found', 'no such image');
    const etag = `"${found.mediaId}"`;
    response.setHeader('ETag', etag);
    response.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    if (ifNoneMatch?.split(',').some((tag) => tag.trim() === etag)) {
      response.status(304).end();
      return;
    }
    response.setHeader('Content-Type', found.type);
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.status(200).end(await this.media.read(found.mediaId));
  }
}
