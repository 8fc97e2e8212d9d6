import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, Matches } from 'class-validator';
import { MAX_TAGS_PER_TICKET, normalizeTag, TAG_PATTERN, TAG_RULE } from '@helpdesk/intake';
import { IsOmittable } from './optional';

const normalize = ({ value }: { value: unknown }): unknown =>
  Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? normalizeTag(v) : v)) : value;

/** `addTags` / `removeTags`: up to 20 tags, each trimmed and lower-cased, then checked against the tag rule. */
export const TagList = (description: string): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({ type: [String], maxItems: MAX_TAGS_PER_TICKET, description: `${description}; ${TAG_RULE}`, example: ['vip', 'outlook'] }),
    IsOmittable(),
    Transform(normalize),
    IsArray(),
    ArrayMaxSize(MAX_TAGS_PER_TICKET),
    Matches(TAG_PATTERN, { each: true, message: ({ property }) => `each value in ${property}: ${TAG_RULE}` }),
  );
