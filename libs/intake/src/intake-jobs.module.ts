import { Module } from '@nestjs/common';
import { IdempotencyKeysPruner } from './housekeeping/idempotency-keys-pruner.service';
import { IntakeHousekeepingProcessor } from './housekeeping/intake-housekeeping.processor';

/** The worker's side of intake: the pruning of old idempotency keys. */
@Module({
  providers: [IdempotencyKeysPruner, IntakeHousekeepingProcessor],
  exports: [IdempotencyKeysPruner],
})
export class IntakeJobsModule {}
