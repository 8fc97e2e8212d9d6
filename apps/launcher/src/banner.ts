import type { AppConfig } from '@helpdesk/config';
import type { SupervisedProcessState } from '@helpdesk/devstack';

/** `postgres running (pid 41) · redis running (pid 57, 1 restart, last SIGKILL) · …` */
export function stateLine(processes: SupervisedProcessState[]): string {
  const one = (p: SupervisedProcessState) => {
    const details = [
      p.pid ? `pid ${p.pid}` : undefined,
      p.restarts ? `${p.restarts} restart${p.restarts === 1 ? '' : 's'}` : undefined,
      p.lastExit ? `last ${p.lastExit}` : undefined,
    ].filter(Boolean);
    return `${p.name} ${p.status}${details.length ? ` (${details.join(', ')})` : ''}`;
  };
  return `processes: ${processes.map(one).join(' · ')}`;
}

/** What a person needs to use the running helpdesk; one write, so the block arrives whole and last. */
export function banner(config: AppConfig, processes: SupervisedProcessState[], mailCatcherDir?: string): string {
  const base = `http://localhost:${config.PORT}`;
  return [
    'the helpdesk is running',
    `  console  ${base}/   (sign in with a staff token)`,
    `  API      ${base}/api/v1`,
    `  docs     ${base}/api/docs   (OpenAPI JSON: ${base}/api/docs-json)`,
    `  health   ${base}/health/live  ${base}/health/ready`,
    ...(config.WORKER_PORT
      ? [`  worker   http://localhost:${config.WORKER_PORT}/health/ready   (also the state of the processes below)`]
      : []),
    ...(config.INBOUND_SMTP_PORT ? [`  mail in  smtp://localhost:${config.INBOUND_SMTP_PORT}   (the mail-in process's inbound SMTP listener, INBOUND_SMTP_PORT)`] : []),
    ...(config.MAIL_IN_PORT ? [`           http://localhost:${config.MAIL_IN_PORT}/health/ready   (mail-in's readiness)`] : []),
    mailCatcherDir
      ? `  mail out caught by ${config.SMTP_URL} into ${mailCatcherDir} (one .eml per message; set SMTP_URL to send for real)`
      : `  mail out through ${config.SMTP_URL ? new URL(config.SMTP_URL).host : 'nowhere: SMTP_URL is not set'}`,
    `  ${stateLine(processes)}`,
    '           a process that dies is restarted; see "Faults" in README.md',
    '  auth     every /api/v1 call needs "Authorization: Bearer <token>". On the first start the',
    '           global_admin token is printed above once (or is BOOTSTRAP_ADMIN_TOKEN if you set it).',
    `           Try: curl -H "Authorization: Bearer $TOKEN" ${base}/api/v1/agents`,
    '  Ctrl-C stops everything.',
  ]
    .map((line) => `[helpdesk] ${line}\n`)
    .join('');
}
