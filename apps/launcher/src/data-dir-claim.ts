import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { liveCommandLine } from '@helpdesk/devstack';

/**
 * One launcher per data folder: a second one would take the first one's PostgreSQL and Redis for
 * servers left behind by a killed launcher, and stop them. The claim is a pid file; one naming a
 * process that is no longer a launcher is stale and taken over.
 */
export class DataDirClaim {
  private readonly file: string;

  constructor(private readonly dataDir: string) {
    this.file = join(dataDir, 'launcher.pid');
  }

  take(): void {
    mkdirSync(this.dataDir, { recursive: true });
    const holder = Number(readFileSync(this.file, { encoding: 'utf8', flag: 'a+' }).trim());
    if (holder && holder !== process.pid && liveCommandLine(holder)?.includes(join('launcher', 'src', 'main'))) {
      throw new Error(`another npm start (pid ${holder}) is running on ${this.dataDir}: stop it first, or set HELPDESK_DATA_DIR`);
    }
    writeFileSync(this.file, `${process.pid}\n`);
  }

  release(): void {
    try {
      if (readFileSync(this.file, 'utf8').trim() === String(process.pid)) rmSync(this.file, { force: true });
    } catch {
      // never taken, or the folder is gone
    }
  }
}
