import { ApiProperty } from '@nestjs/swagger';
import { CommentResponseDto } from '../intake/intake-responses.dto';

export class AttachmentUploaderDto {
  @ApiProperty({ enum: ['staff', 'customer', 'system'] }) kind: 'staff' | 'customer' | 'system';
  @ApiProperty({ required: false, nullable: true, type: String, description: 'Staff id (never shown to customers)' }) id?: string | null;
  @ApiProperty({ nullable: true, type: String, description: "Staff member's name; null for customers" }) name: string | null;
}

export class AttachmentResponseDto {
  @ApiProperty() id: string;
  @ApiProperty() ticketId: string;
  @ApiProperty({ nullable: true, type: String, description: 'The comment the file came with; null when attached to the ticket itself' }) commentId: string | null;
  @ApiProperty({ example: 'screenshot.png' }) fileName: string;
  @ApiProperty({ nullable: true, type: String, example: 'image/png', description: 'What the content is, sniffed from its bytes (an HTML page named .png is text/plain); null when refused' })
  contentType: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'What the sender said it was (never used to serve it)' }) declaredType: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Bytes; null when refused' }) size: number | null;
  @ApiProperty({ nullable: true, type: String, description: 'SHA-256 of the content, hex; null when refused' }) sha256: string | null;
  @ApiProperty({ enum: ['public', 'internal'] }) visibility: 'public' | 'internal';
  @ApiProperty({ enum: ['stored', 'refused'], description: "refused: an e-mail's file over the limits, recorded with the reason, without content" }) status: 'stored' | 'refused';
  @ApiProperty({ nullable: true, type: String }) refusedReason: string | null;
  @ApiProperty({ enum: ['upload', 'email'] }) source: 'upload' | 'email';
  @ApiProperty({ type: AttachmentUploaderDto }) uploadedBy: AttachmentUploaderDto;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class UploadResponseDto {
  @ApiProperty({ type: CommentResponseDto, nullable: true, description: 'The new comment, when the upload had a body' }) comment: CommentResponseDto | null;
  @ApiProperty({ type: [AttachmentResponseDto] }) attachments: AttachmentResponseDto[];
}
