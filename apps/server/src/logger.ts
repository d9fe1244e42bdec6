import pino, { type Logger } from 'pino'
import pretty from 'pino-pretty'
import type { AppConfig } from './plugins/app/config.ts'

/**
 * The server's logger. `pretty` (the default) writes one short line per event for a person at
 * a terminal (`12:03:04 WARN  POST /api/runs 400 Not A Profile 12 ms`), with an error's stack
 * below it; `json` writes pino's JSON lines for a log collector (LOG_FORMAT=json, as the
 * container does). The pretty stream is synchronous and in this thread: a transport would
 * start a worker thread at every start.
 */
export function createLogger(config: Pick<AppConfig, 'logLevel' | 'logFormat'>): Logger {
  if (config.logFormat === 'json') return pino({ level: config.logLevel })
  const stream = pretty({
    sync: true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,reqId',
    singleLine: true,
    // The error's own stack, below the line; other fields inline.
    errorLikeObjectKeys: ['err', 'error'],
  })
  return pino({ level: config.logLevel }, stream)
}
