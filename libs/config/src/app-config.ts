import { plainToInstance, Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : Number(value);

/**
 * The whole environment of both apps, validated once at start. Code reads configuration only
 * through this class (injected as `AppConfig`), never from `process.env`.
 */
export class AppConfig {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL!: string;

  @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL!: string;

  /** Prefix of every BullMQ key; lets several deployments (or test files) share one Redis. */
  @IsString()
  @Matches(/^[a-zA-Z0-9_-]+$/)
  QUEUE_PREFIX = 'helpdesk';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  WORKER_PORT = 3001;

  /** API processes sharing the port (node:cluster); more than one uses more cores for HTTP. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(64)
  API_PROCESSES = 1;

  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'BOOTSTRAP_ADMIN_TOKEN must be at least 16 characters' })
  BOOTSTRAP_ADMIN_TOKEN?: string;

  /** When set, `GET /metrics` (api and worker) needs `Authorization: Bearer <METRICS_TOKEN>`. */
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'METRICS_TOKEN must be at least 16 characters' })
  METRICS_TOKEN?: string;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /**
   * `pretty`: one readable line per log for a person at a terminal; `json`: one pino JSON object
   * per line for machines. A terminal gets `pretty` unless told otherwise, anything else `json`.
   */
  @IsIn(['pretty', 'json'])
  LOG_FORMAT: 'pretty' | 'json' = process.stdout.isTTY ? 'pretty' : 'json';

  /**
   * The built web console (`npm run build` writes it to dist/console), served by the api at `/`;
   * relative paths are from the working directory. Without an index.html there, no console is served.
   */
  @IsString()
  @MinLength(1)
  CONSOLE_DIR = 'dist/console';

  /**
   * How long the api waits for the answers of a page's server render (the inbox's or a ticket's first screen in the
   * HTML, apps/api/src/console/server-render.ts) before it sends the plain page instead; 0 turns the
   * server render off.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(10_000)
  CONSOLE_RENDER_TIMEOUT_MS = 400;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE = 20;

  /** Run pending migrations when an app starts (under an advisory lock, so many apps may start at once). */
  @IsIn(['true', 'false'])
  MIGRATIONS_RUN = 'true';

  /** Delivery attempts of one escalation before it is marked failed. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(50)
  ESCALATION_ATTEMPTS = 8;

  /**
   * Sending attempts of one outgoing e-mail (NOTIFICATION_RETRY's backoff: 12 span about an hour);
   * after the last one fails the mail is `failed`, and an admin may send it again.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(50)
  NOTIFICATION_ATTEMPTS = 12;

  /** Base delay of the escalation delivery backoff (exponential, jittered, capped at one hour). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3_600_000)
  ESCALATION_BACKOFF_MS = 10_000;

  /**
   * Triage jobs in flight per worker process. The jobs running at the same time are triaged in
   * batches (one read, one known-issue search, one write for each batch), so more jobs in flight
   * means fewer, larger statements and commits.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  TRIAGE_CONCURRENCY = 64;

  /** Deliveries in flight per tier and worker process. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(500)
  ESCALATION_CONCURRENCY = 50;

  /**
   * How often an idle outbox relay looks for rows nobody woke it for (ms). Writers wake the relays
   * after each commit over Redis, so this only bounds the delay when a wake-up is lost.
   */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(600_000)
  OUTBOX_POLL_MS = 100;

  /**
   * How long a delivery job's lock lasts (renewed while the worker lives): after a worker dies
   * mid-delivery, another one takes the job over within about twice this.
   */
  @Transform(toInt)
  @IsInt()
  @Min(500)
  @Max(600_000)
  ESCALATION_LOCK_MS = 30_000;

  /**
   * How long the worker (finishing the jobs in flight) or an API process (finishing the requests in
   * flight) may take to stop after SIGTERM/SIGINT before it exits anyway. Jobs a worker could not
   * finish are taken over by another worker once their locks expire, so nothing is lost; without a
   * deadline one stuck job or request would keep the process alive forever.
   */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  SHUTDOWN_TIMEOUT_MS = 30_000;

  /** Attempts of one subscription.suspend / subscription.resume webhook before it is marked failed. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(50)
  BILLING_DELIVERY_ATTEMPTS = 8;

  /** Base delay of the provisioning webhook backoff (exponential, jittered). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3_600_000)
  BILLING_DELIVERY_BACKOFF_MS = 10_000;

  /**
   * Largest CSV body `POST /invoices/import` reads (bytes). JSON bodies stay at 1 MiB; 100,000
   * invoices of one line take about 12 MiB.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(1024 * 1024 * 1024)
  BILLING_IMPORT_MAX_BYTES = 64 * 1024 * 1024;

  /** The window of every rate limit (ms): each budget below is per window. */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(3_600_000)
  RATE_LIMIT_WINDOW_MS = 60_000;

  /** Requests per window for each customer token (0 = no limit). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  RATE_LIMIT_CUSTOMER = 300;

  /** Requests per window for each staff token (0 = no limit). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  RATE_LIMIT_STAFF = 1200;

  /**
   * Requests per window for each client address without a valid token: public routes (signed
   * callbacks, the stream, metrics, docs) and requests with a missing or bad token (0 = no limit).
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  RATE_LIMIT_ANONYMOUS = 600;

  /** How long a client may take to send a request's headers (ms); a slower one is cut off. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600_000)
  HTTP_HEADERS_TIMEOUT_MS = 10_000;

  /** How long a client may take to send a whole request, headers and body (ms); a slower one gets a 408. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600_000)
  HTTP_REQUEST_TIMEOUT_MS = 30_000;

  /** Live streams (GET /queues/stream) one caller may hold open at once in one API process. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  SSE_STREAMS_PER_CALLER = 5;

  /** `false` turns the OpenAPI UI and document (/api/docs, /api/docs-json) off. */
  @IsIn(['true', 'false'])
  API_DOCS = 'true';

  /**
   * Where the worker's health and metrics port listens. Loopback unless METRICS_TOKEN is set, so
   * that unauthenticated metrics are not offered to the network; set it (e.g. 0.0.0.0) to override.
   */
  @IsOptional()
  @IsString()
  WORKER_HOST?: string;

  /**
   * How long a web console session lasts from its sign-in (then the console asks for a token
   * again). Signing out, revoking the token or deactivating its agent ends it sooner.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(43_200)
  SESSION_TTL_MINUTES = 480;

  /**
   * Where customers reach this helpdesk (`https://support.partner.example`): the links mailed to them
   * (portal sign-in) point there, never at the Host a request named. Unset: http://localhost:PORT.
   */
  @IsOptional()
  @Matches(/^https?:\/\/[^/?#\s]+$/, { message: 'PUBLIC_URL must be an http(s) origin such as https://support.partner.example (no path)' })
  PUBLIC_URL?: string;

  get publicUrl(): string {
    return this.PUBLIC_URL ?? `http://localhost:${this.PORT}`;
  }

  /** How long a mailed portal sign-in link works (it works once). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1440)
  PORTAL_LINK_TTL_MINUTES = 15;

  /** Sign-in links asked for per e-mail address, and per client address, per PORTAL_LINK_WINDOW_MS (429 beyond, known address or not). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  PORTAL_LINK_LIMIT = 5;

  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(86_400_000)
  PORTAL_LINK_WINDOW_MS = 900_000;

  /**
   * How often the worker looks for escalations still queued whose delivery job is gone from Redis
   * (removed, lost with Redis data) or failed there without the escalation having been marked
   * failed (ms). Only escalations unchanged for at least this long are looked at.
   */
  @Transform(toInt)
  @IsInt()
  @Min(500)
  @Max(86_400_000)
  ESCALATION_RECONCILE_MS = 60_000;

  /**
   * How often the worker mails agents the tickets triage itself assigned them ("assigned to you"),
   * in ms: the delay between triage's assignment and the mail being queued.
   */
  @Transform(toInt)
  @IsInt()
  @Min(200)
  @Max(3_600_000)
  AUTO_ASSIGNMENT_MAIL_EVERY_MS = 5_000;

  /**
   * The "assigned to you" job gives way to triage: a run finding more than this many tickets waiting
   * in the triage queue (a backlog: a burst of tickets; a job of an arrival batch of mail counts each
   * of its tickets) is skipped, unless the last run that read the
   * assignments is AUTO_ASSIGNMENT_MAIL_MAX_DEFER_MS ago or more.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  AUTO_ASSIGNMENT_MAIL_YIELD_ABOVE = 500;

  /**
   * The longest the "assigned to you" job gives way to a triage backlog, in ms since its last run
   * that read the assignments: a mail waits at most about this plus AUTO_ASSIGNMENT_MAIL_EVERY_MS.
   * 0: it never gives way.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  AUTO_ASSIGNMENT_MAIL_MAX_DEFER_MS = 60_000;

  /** How often the worker prunes what is past its retention (idempotency keys, delivery history), in ms. */
  @Transform(toInt)
  @IsInt()
  @Min(500)
  @Max(86_400_000)
  PRUNE_EVERY_MS = 600_000;

  /** Rows deleted per pruning statement (each its own short transaction, so writers never wait long). */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(100_000)
  PRUNE_BATCH_SIZE = 1000;

  /**
   * How long an `Idempotency-Key` of POST /tickets is remembered: a repeat within this many hours
   * returns the original ticket; after it, the key may be pruned and a repeat files a new ticket.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(8760)
  IDEMPOTENCY_KEY_RETENTION_HOURS = 24;

  /** Days the webhook delivery attempts of escalations are kept (the escalation itself stays). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3650)
  ESCALATION_ATTEMPT_RETENTION_DAYS = 90;

  /** Days a vendor callback's delivery id is remembered, so that a replay within them is ignored. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3650)
  CALLBACK_DELIVERY_RETENTION_DAYS = 30;

  /**
   * Webhook targets (escalation tiers, provisioning) may be loopback, private, link-local, CGNAT or
   * other non-public addresses only when `true`: for a receiver on this machine while developing
   * and testing. Cloud metadata addresses stay refused whatever this says.
   */
  @IsIn(['true', 'false'])
  WEBHOOK_ALLOW_PRIVATE = 'false';

  get webhookAllowPrivate(): boolean {
    return this.WEBHOOK_ALLOW_PRIVATE === 'true';
  }

  /**
   * The mail-in app's inbound SMTP listener (e-mail in): its port (0 = no listener; `npm start`
   * picks a free one and prints it) and address. A message is answered `250` only once it is
   * committed: made a ticket, a comment or nothing, or stored raw for the worker's job.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  INBOUND_SMTP_PORT = 0;

  @IsString()
  INBOUND_SMTP_HOST = '127.0.0.1';

  /** The mail-in app's /health/live and /health/ready, on INBOUND_SMTP_HOST (0 = off). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  MAIL_IN_PORT = 0;

  /** `whsec_<base64>` secret of `POST /api/v1/inbound-email` (Standard Webhooks); unset: that route refuses everything. */
  @IsOptional()
  @Matches(/^whsec_[A-Za-z0-9+/]+={0,2}$/, { message: 'INBOUND_EMAIL_SECRET must be whsec_ followed by base64' })
  INBOUND_EMAIL_SECRET?: string;

  /** The largest inbound message accepted, in bytes, by SMTP (552) and by the webhook (413). */
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(100 * 1024 * 1024)
  INBOUND_EMAIL_MAX_BYTES = 10 * 1024 * 1024;

  /** The largest attachment (bytes), uploaded or arriving by e-mail: 413 naming the file beyond it, while it streams in. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1024 * 1024 * 1024)
  ATTACHMENT_MAX_BYTES = 25 * 1024 * 1024;

  /** How many files one upload (or one e-mail) may carry: 413 beyond it; an e-mail's extra files are recorded as refused. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  ATTACHMENT_MAX_FILES = 10;

  /** Where attachment contents live: `postgres` (bytea, in the comment's transaction) or `filesystem` (ATTACHMENT_DIR). */
  @IsIn(['postgres', 'filesystem'])
  ATTACHMENT_STORE: 'postgres' | 'filesystem' = 'postgres';

  /** The filesystem store's folder (relative to the working directory); also where uploads are spooled while they stream in. */
  @IsString()
  @MinLength(1)
  ATTACHMENT_DIR = '.data/attachments';

  /** The domain of the Message-IDs of the mail we send: a message from it coming back in is a loop. */
  @Matches(/^[a-z0-9.-]+$/i, { message: 'MAIL_DOMAIN must be a domain name' })
  MAIL_DOMAIN = 'helpdesk.localhost';

  /** Where notifications to customers are sent (`smtp://host:port`, `smtps://user:pass@host`); unset: they wait, unsent. */
  @IsOptional()
  @Matches(/^smtps?:\/\//, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  /** The From of notifications; `support@<MAIL_DOMAIN>` when unset. */
  @IsOptional()
  @IsString()
  MAIL_FROM?: string;

  get mailFrom(): string {
    return this.MAIL_FROM ?? `support@${this.MAIL_DOMAIN}`;
  }

  /**
   * The language customers are written to (macro replies) when their ticket's requester is not one
   * of the customer's contacts (a contact's own locale wins): see CustomerLocaleService.
   */
  @IsIn(['es', 'en'])
  DEFAULT_LOCALE: 'es' | 'en' = 'es';

  get migrationsRun(): boolean {
    return this.MIGRATIONS_RUN === 'true';
  }

  get apiDocs(): boolean {
    return this.API_DOCS === 'true';
  }

  /** WORKER_HOST, else loopback without METRICS_TOKEN (metrics open to anyone who can connect), else every interface. */
  get workerHost(): string {
    return this.WORKER_HOST ?? (this.METRICS_TOKEN ? '0.0.0.0' : '127.0.0.1');
  }
}

export function validateConfig(raw: Record<string, unknown>): AppConfig {
  const config = plainToInstance(AppConfig, raw, { exposeDefaultValues: true });
  const errors = validateSync(config, { whitelist: false, skipMissingProperties: false });
  if (errors.length > 0) {
    const lines = errors.map(
      (e) => `  ${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`,
    );
    throw new Error(`Invalid environment:\n${lines.join('\n')}`);
  }
  return config;
}
