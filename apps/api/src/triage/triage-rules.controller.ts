import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles, StaffRole } from '@helpdesk/auth';
import { UuidParamPipe } from '@helpdesk/http';
import { TriageRulesService, TriageService } from '@helpdesk/triage';
import { CreateTriageRuleDto, DryRunTicketDto, ImpactQueryDto, UpdateTriageRuleDto } from './triage-rule.dto';
import { DryRunResponseDto, RuleImpactDto, TriageRuleResponseDto } from './triage-responses.dto';

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
  @ApiCreatedResponse({ type: TriageRuleResponseDto })
  create(@Body() body: CreateTriageRuleDto) {
    return this.rules.create(body);
  }

  @Get()
  @ApiOkResponse({ type: TriageRuleResponseDto, isArray: true })
  list() {
    return this.rules.list();
  }

  /** What triage would do with this ticket under the enabled rules; writes nothing. */
  @Post('dry-run')
  @HttpCode(200)
  @ApiOkResponse({ type: DryRunResponseDto })
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
      why: decision.why,
      billingStatus: decision.billingStatus,
    };
  }

  @Get(':id')
  @ApiOkResponse({ type: TriageRuleResponseDto })
  get(@Param('id', UuidParamPipe) id: string) {
    return this.rules.get(id);
  }

  /** How many of the last N tickets the rule would match and what it would change (enabled or not). */
  @Get(':id/impact')
  @ApiOkResponse({ type: RuleImpactDto })
  impact(@Param('id', UuidParamPipe) id: string, @Query() query: ImpactQueryDto) {
    return this.rules.impact(id, query.last ?? 1000);
  }

  @Patch(':id')
  @ApiOkResponse({ type: TriageRuleResponseDto })
  update(@Param('id', UuidParamPipe) id: string, @Body() body: UpdateTriageRuleDto) {
    return this.rules.update(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id', UuidParamPipe) id: string): Promise<void> {
    await this.rules.remove(id);
  }
}
