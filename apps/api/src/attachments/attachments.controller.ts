import { Controller, Get, HttpCode, Param, Post, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import contentDisposition from 'content-disposition';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AttachmentsService, servedContentType } from '@helpdesk/attachments';
import { CurrentPrincipal, CustomersAllowed, Roles, StaffRole } from '@helpdesk/auth';
import type { Principal } from '@helpdesk/auth';
import { AppConfig } from '@helpdesk/config';
import { UuidParamPipe } from '@helpdesk/http';
import { AttachmentResponseDto, UploadResponseDto } from './attachment-responses.dto';
import { MultipartBody, readUploadForm } from './multipart-body';

/**
 * A download is never shown in the browser: saved (`attachment`, its name encoded as RFC 6266 says),
 * labelled with an inert type, not sniffed, and sandboxed should anything render it anyway.
 */
export const DOWNLOAD_CSP = "sandbox; default-src 'none'";

@ApiTags('attachments')
@ApiBearerAuth()
@Controller('tickets/:id/attachments')
export class AttachmentsController {
  constructor(
    private readonly attachments: AttachmentsService,
    private readonly config: AppConfig,
  ) {}

  @Post()
  @HttpCode(201)
  @CustomersAllowed()
  @Roles(StaffRole.AdminAgent, StaffRole.HelpdeskAgent, StaffRole.BillingAdmin)
  @MultipartBody()
  @ApiOperation({
    description:
      'multipart/form-data: one or more `files`, `visibility` (public | internal; customers: public), and an optional `body`: with it the files come with a new comment, ' +
      'without it they are attached to the ticket. Who may: those who may comment (staff who work the ticket, billing_admin billing tickets, the ticket\'s customer). ' +
      'Each file at most ATTACHMENT_MAX_BYTES (25 MiB), at most ATTACHMENT_MAX_FILES (10) per request: 413 naming `files`, nothing written. The type is sniffed from the content.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['files', 'visibility'],
      properties: {
        files: { type: 'array', items: { type: 'string', format: 'binary' } },
        visibility: { type: 'string', enum: ['public', 'internal'] },
        body: { type: 'string', minLength: 1, maxLength: 20000 },
      },
    },
  })
  @ApiCreatedResponse({ type: UploadResponseDto })
  async upload(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string, @Req() request: FastifyRequest) {
    // Who may attach is known before the files are read: nothing of a refused upload is read.
    await this.attachments.assertMayAttach(principal, id);
    const form = await readUploadForm(request, this.config);
    try {
      return await this.attachments.upload(principal, id, { body: form.body, visibility: form.visibility }, form.files);
    } finally {
      await Promise.all(form.files.map((f) => f.content.release()));
    }
  }

  @Get()
  @CustomersAllowed()
  @ApiOperation({ description: "This ticket's attachments and those of the tickets merged into it, oldest first; internal ones only for staff who work the ticket; customers: public ones of their own tickets." })
  @ApiOkResponse({ type: AttachmentResponseDto, isArray: true })
  list(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string) {
    return this.attachments.list(principal, id);
  }

  @Get(':attachmentId')
  @CustomersAllowed()
  @ApiOperation({ description: 'The file, as a download (Content-Disposition: attachment, nosniff, CSP sandbox); whoever may list it may download it.' })
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' }, description: 'The bytes as uploaded; ETag is their SHA-256' })
  async download(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParamPipe) id: string,
    @Param('attachmentId', UuidParamPipe) attachmentId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const { attachment, content } = await this.attachments.open(principal, id, attachmentId);
    void reply.headers({
      'Content-Type': servedContentType(attachment.contentType ?? 'application/octet-stream'),
      // Non-ASCII names go in filename* (UTF-8), with an ASCII fallback every client reads.
      'Content-Disposition': contentDisposition(attachment.fileName, { type: 'attachment', fallback: attachment.fileName.replace(/[^\x20-\x7e]/g, '?') }),
      'Content-Length': String(attachment.size),
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': DOWNLOAD_CSP,
      ETag: `"${attachment.sha256}"`,
    });
    return new StreamableFile(content);
  }
}
