import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles, StaffRole } from '@helpdesk/auth';
import { UuidParamPipe } from '@helpdesk/http';
import { KnownIssuesService } from '@helpdesk/triage';
import { CreateKnownIssueDto, UpdateKnownIssueDto } from './known-issue.dto';
import { KnownIssueResponseDto } from './triage-responses.dto';

@ApiTags('known issues')
@ApiBearerAuth()
@Controller('known-issues')
export class KnownIssuesController {
  constructor(private readonly issues: KnownIssuesService) {}

  @Post()
  @Roles(StaffRole.AdminAgent, StaffRole.HelpdeskAgent)
  @ApiCreatedResponse({ type: KnownIssueResponseDto })
  create(@Body() body: CreateKnownIssueDto) {
    return this.issues.create({ product: null, category: null, runbookUrl: null, ...body });
  }

  @Get()
  @ApiOkResponse({ type: KnownIssueResponseDto, isArray: true })
  list() {
    return this.issues.list();
  }

  @Get(':id')
  @ApiOkResponse({ type: KnownIssueResponseDto })
  get(@Param('id', UuidParamPipe) id: string) {
    return this.issues.get(id);
  }

  @Patch(':id')
  @Roles(StaffRole.AdminAgent, StaffRole.HelpdeskAgent)
  @ApiOkResponse({ type: KnownIssueResponseDto })
  update(@Param('id', UuidParamPipe) id: string, @Body() body: UpdateKnownIssueDto) {
    return this.issues.update(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles(StaffRole.AdminAgent)
  async remove(@Param('id', UuidParamPipe) id: string): Promise<void> {
    await this.issues.remove(id);
  }
}
