import { Injectable, OnModuleDestroy } from '@nestjs/common';
import type { LauncherStateMessage, SupervisedProcessState } from '@helpdesk/devstack';

const isLauncherState = (message: unknown): message is LauncherStateMessage =>
  typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'launcher-state' &&
  Array.isArray((message as { processes?: unknown }).processes);

/**
 * Under `npm start`, the launcher sends this worker the state of every process it supervises
 * whenever it changes (over the worker's IPC channel: no file to go stale once the launcher is
 * gone, nothing to configure). Undefined when the worker runs on its own.
 */
@Injectable()
export class LauncherState implements OnModuleDestroy {
  private latest?: SupervisedProcessState[];
  private readonly onMessage = (message: unknown) => {
    if (isLauncherState(message)) this.latest = message.processes;
  };

  constructor() {
    process.on('message', this.onMessage);
  }

  get processes(): SupervisedProcessState[] | undefined {
    return this.latest;
  }

  onModuleDestroy(): void {
    process.off('message', this.onMessage);
  }
}
