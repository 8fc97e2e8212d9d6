import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TagsService } from '@helpdesk/workbench';
import { ListTagsQueryDto } from './view.dto';
import { TagCountDto } from './view-responses.dto';

@ApiTags('tags')
@ApiBearerAuth()
@Controller('tags')
export class TagsController {
  constructor(private readonly tags: TagsService) {}

  @Get()
  @ApiOperation({ summary: 'Tags in use with how many tickets carry each, most used first', description: 'Roles: any staff role (customer tokens: 403).' })
  @ApiOkResponse({ type: [TagCountDto] })
  list(@Query() query: ListTagsQueryDto) {
    return this.tags.list({ prefix: query.prefix, limit: query.limit ?? 100 });
  }
}
