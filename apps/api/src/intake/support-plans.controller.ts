import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, CustomersAllowed, Roles, StaffRole } from '@helpdesk/auth';
import type { Principal } from '@helpdesk/auth';
import { UuidParamPipe } from '@helpdesk/http';
import { SupportPlansService } from '@helpdesk/intake';
import { CreateSupportPlanDto, UpdateSupportPlanDto } from './support-plan.dto';
import { SupportPlanResponseDto } from './intake-responses.dto';

@ApiTags('support plans')
@ApiBearerAuth()
@Controller('support-plans')
export class SupportPlansController {
  constructor(private readonly plans: SupportPlansService) {}

  @Post()
  @Roles(StaffRole.AdminAgent)
  @ApiCreatedResponse({ type: SupportPlanResponseDto })
  create(@Body() body: CreateSupportPlanDto) {
    return this.plans.create({ ...body, price: body.price ?? null, scope: body.scope ?? null, contactPoints: body.contactPoints ?? [] });
  }

  @Get()
  @ApiOkResponse({ type: SupportPlanResponseDto, isArray: true })
  list() {
    return this.plans.list();
  }

  @Get(':id')
  @CustomersAllowed()
  @ApiOperation({ summary: 'A support plan', description: "A customer token reads its own customer's plan only; any other is a 404." })
  @ApiOkResponse({ type: SupportPlanResponseDto })
  get(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string) {
    return principal.kind === 'customer' ? this.plans.getForCustomer(principal.customerId, id) : this.plans.get(id);
  }

  @Patch(':id')
  @Roles(StaffRole.AdminAgent)
  @ApiOkResponse({ type: SupportPlanResponseDto })
  update(@Param('id', UuidParamPipe) id: string, @Body() body: UpdateSupportPlanDto) {
    return this.plans.update(id, body);
  }
}
