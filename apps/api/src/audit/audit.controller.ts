import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditService } from '@helpdesk/audit';
import { Roles, StaffRole } from '@helpdesk/auth';
import { AuditPageDto, ListAuditQueryDto } from './audit.dto';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  /** Read-only: no route changes or deletes an entry. */
  @Get()
  @Roles(StaffRole.AdminAgent)
  @ApiOperation({ summary: 'The audit log of configuration changes, newest first. Roles: global_admin, admin_agent.' })
  @ApiOkResponse({ type: AuditPageDto })
  list(@Query() query: ListAuditQueryDto) {
    return this.audit.list(query);
  }
}
