import { Global, Module } from '@nestjs/common';
import { OUTAGE_REPORTER } from '@helpdesk/http';
import { DependencyOutages } from './dependency-outages';

/**
 * What the API's edge needs from Nest: the outage log (global, so that any context that meets an
 * unreachable dependency, e.g. the live stream's stats poll, reports to the same one).
 */
@Global()
@Module({
  providers: [DependencyOutages, { provide: OUTAGE_REPORTER, useExisting: DependencyOutages }],
  exports: [DependencyOutages, OUTAGE_REPORTER],
})
export class EdgeModule {}
