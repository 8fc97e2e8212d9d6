import { Module } from '@nestjs/common';
import { AuditService } from './audit.service';

/** The audit log; every context that records its configuration changes imports this. */
@Module({
  providers: [AuditService],
  exports: [AuditService],
})
export class AuditModule {}
