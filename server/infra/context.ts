import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What a log line says about the request that caused it: its id, from the HTTP middleware through
 * the use case to the events it publishes. The logger reads it (server/infra/logger.ts).
 */
export type RequestContext = { requestId: string };

export const requestContext = new AsyncLocalStorage<RequestContext>();
