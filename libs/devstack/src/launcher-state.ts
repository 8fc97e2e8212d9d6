/**
 * What `npm start` (apps/launcher) tells the worker, over the worker's IPC channel, about the
 * processes it supervises; the worker shows it on its /health/ready. Types only, so the worker
 * loads nothing of this library.
 */
export type SupervisedStatus = 'starting' | 'running' | 'restarting' | 'failed' | 'stopping' | 'stopped';

export interface SupervisedProcessState {
  name: string;
  pid: number | null;
  status: SupervisedStatus;
  /** Restarts after unexpected exits since `npm start`. */
  restarts: number;
  /** How the last unexpected exit happened ('SIGKILL', 'exit 1'), if there was one. */
  lastExit: string | null;
}

export interface LauncherStateMessage {
  type: 'launcher-state';
  processes: SupervisedProcessState[];
}
