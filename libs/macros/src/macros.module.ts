import { Module } from '@nestjs/common';
import { AuditModule } from '@helpdesk/audit';
import { AuthModule } from '@helpdesk/auth';
import { IntakeModule } from '@helpdesk/intake';
import { MacroApplyService } from './macro-apply.service';
import { MacrosService } from './macros.service';

/** Macros (canned responses): their own table; tickets, comments and customers through intake. */
@Module({
  imports: [AuthModule, AuditModule, IntakeModule],
  providers: [MacrosService, MacroApplyService],
  exports: [MacrosService, MacroApplyService],
})
export class MacrosModule {}
