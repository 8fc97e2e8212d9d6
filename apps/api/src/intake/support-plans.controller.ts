import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles, StaffRole } from '@helpdesk/auth';
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
    return this.plans.create({ ...body, price: body.price ?? null });
  }

  @Get()
  @ApiOkResponse({ type: SupportPlanResponseDto, isArray: true })
  list() {
    return this.plans.list();
  }

  @Get(':id')
  @ApiOkResponse({ type: SupportPlanResponseDto })
  get(@Param('id', UuidParamPipe) id: string) {
    return this.plans.get(id);
  }

  @Patch(':id')
  @Roles(StaffRole.AdminAgent)
  @ApiOkResponse({ type: SupportPlanResponseDto })
  update(@Param('id', UuidParamPipe) id: string, @Body() body: UpdateSupportPlanDto) {
    return this.plans.update(id, body);
  }
}
