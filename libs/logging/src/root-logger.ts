import pino, { DestinationStream, Logger, LoggerOptions } from 'pino';
import pinoPretty from 'pino-pretty';
import type { AppConfig } from '@helpdesk/config';
import { prettyLine } from './pretty-line';

/**
 * Nest's start-up listing, one line per module initialised and per route mapped (a hundred-odd
 * lines): worth having at `debug`, noise at `info`.
 */
const START_UP_LISTING = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);
const INFO = pino.levels.values.info;

export interface RootLoggerOptions {
  /** `api` or `worker`: the `name` of every line, which tells the two apart on one terminal. */
  name: string;
  redact?: LoggerOptions['redact'];
  serializers?: LoggerOptions['serializers'];
  /** Where the lines go; stdout unless a test catches them. */
  destination?: DestinationStream;
}

/**
 * The one pino logger of an app: Nest's own logs (through nestjs-pino) and, in the api, Fastify's
 * request logs go through it. `LOG_FORMAT=pretty` writes readable lines, synchronously so that
 * they stay in order with what the launcher prints; `json` writes pino's JSON lines.
 */
export function createRootLogger(config: Pick<AppConfig, 'LOG_LEVEL' | 'LOG_FORMAT'>, options: RootLoggerOptions): Logger {
  const loggerOptions: LoggerOptions = {
    name: options.name,
    level: config.LOG_LEVEL,
    redact: options.redact,
    serializers: options.serializers,
    hooks: {
      logMethod(args, method, level) {
        const [first] = args as unknown[];
        const context = (first as { context?: unknown } | null)?.context;
        if (level === INFO && typeof context === 'string' && START_UP_LISTING.has(context)) {
          return this.debug(...(args as Parameters<Logger['debug']>));
        }
        return method.apply(this, args);
      },
    },
  };
  if (config.LOG_FORMAT === 'json') return options.destination ? pino(loggerOptions, options.destination) : pino(loggerOptions);
  return pino(
    loggerOptions,
    pinoPretty({
      destination: options.destination,
      colorize: options.destination ? false : undefined,
      sync: true,
      translateTime: 'SYS:HH:MM:ss.l',
      // What prettyLine folds into the message, and what a person does not need on every line.
      ignore: 'pid,hostname,context,reqId,req,res,responseTime',
      messageFormat: prettyLine,
    }),
  );
}
