import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles, StaffRole } from '@helpdesk/auth';
import { UuidParamPipe } from '@helpdesk/http';
import { TriageRulesService, TriageService } from '@helpdesk/triage';
import { CreateTriageRuleDto, DryRunTicketDto, ImpactQueryDto, UpdateTriageRuleDto } from './triage-rule.dto';

@ApiTags('triage rules')
@ApiBearerAuth()
@Roles(StaffRole.AdminAgent)
@Controller('triage-rules')
export class TriageRulesController {
  constructor(
    private readonly rules: TriageRulesService,
    private readonly triage: TriageService,
  ) {}

  @Post()
  create(@Body() body: CreateTriageRuleDto) {
    return this.rules.create(body);
  }

  @Get()
  list() {
    return this.rules.list();
  }

  /** What triage would do with this ticket under the enabled rules; writes nothing. */
  @Post('dry-run')
  @HttpCode(200)
  async dryRun(@Body() body: DryRunTicketDto) {
    const decision = await this.triage.preview({
      subject: body.subject,
      description: body.description,
      category: body.category ?? null,
      product: body.product ?? null,
      severity: body.severity ?? null,
      channel: body.channel ?? 'api',
      customerId: body.customerId ?? '',
      requesterEmail: body.requester?.email ?? body.requesterEmail ?? '',
    });
    return {
      matchedRules: decision.matchedRules,
      stoppedBy: decision.stoppedBy,
      result: {
        category: decision.category,
        product: decision.product,
        priority: decision.priority,
        queue: decision.queue,
        tags: decision.tags,
        inScope: decision.inScope,
        diagnosis: decision.diagnosis,
        prioritySuggestion: decision.prioritySuggestion,
      },
      reasons: decision.reasons,
    };
  }

  @Get(':id')
  get(@Param('id', UuidParamPipe) id: string) {
    return this.rules.get(id);
  }

  /** How many of the last N tickets the rule would match and what it would change (enabled or not). */
  @Get(':id/impact')
  impact(@Param('id', UuidParamPipe) id: string, @Query() query: ImpactQueryDto) {
    return this.rules.impact(id, query.last ?? 1000);
  }

  @Patch(':id')
  update(@Param('id', UuidParamPipe) id: string, @Body() body: UpdateTriageRuleDto) {
    return this.rules.update(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id', UuidParamPipe) id: string): Promise<void> {
    await this.rules.remove(id);
  }
}
