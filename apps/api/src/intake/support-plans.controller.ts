import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles, StaffRole } from '@helpdesk/auth';
import { UuidParamPipe } from '@helpdesk/http';
import { SupportPlansService } from '@helpdesk/intake';
import { CreateSupportPlanDto, UpdateSupportPlanDto } from './support-plan.dto';

@ApiTags('support plans')
@ApiBearerAuth()
@Controller('support-plans')
export class SupportPlansController {
  constructor(private readonly plans: SupportPlansService) {}

  @Post()
  @Roles(StaffRole.AdminAgent)
  create(@Body() body: CreateSupportPlanDto) {
    return this.plans.create({ ...body, price: body.price ?? null });
  }

  @Get()
  list() {
    return this.plans.list();
  }

  @Get(':id')
  get(@Param('id', UuidParamPipe) id: string) {
    return this.plans.get(id);
  }

  @Patch(':id')
  @Roles(StaffRole.AdminAgent)
  update(@Param('id', UuidParamPipe) id: string, @Body() body: UpdateSupportPlanDto) {
    return this.plans.update(id, body);
  }
}
