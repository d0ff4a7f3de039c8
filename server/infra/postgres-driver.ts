import { registerHooks } from 'node:module';

/*
 * postgres.js, loaded with one fix applied to its source as Node loads it.
 *
 * Why: in postgres.js 3.4.9 (the latest release), a statement written on a connection whose
 * socket has just closed — typically the ROLLBACK that `sql.begin` sends after PostgreSQL went
 * away mid-transaction — is flushed from a `setImmediate` onto a null socket. The TypeError it
 * throws is uncaught and kills the whole node (upstream issues porsager/postgres#1154 and #1208,
 * fixes proposed and not released). Our PostgreSQL-restart fault test hits it every time.
 *
 * The fix: a flush with no socket settles the pending statements with CONNECTION_CLOSED (which
 * callers already handle: a 503) instead of throwing, and a closing connection forgets its
 * unflushed bytes so that the next socket starts clean. npm 11 runs no install scripts, so the
 * fix cannot patch node_modules at install time; a module load hook applies it in every process
 * that uses the driver (nodes, CLIs, tests). `applyDriverFix` fails loudly in the unit tests if
 * a new driver version no longer matches, so the fix is dropped once upstream carries its own.
 */
const FLUSH = 'function nextWrite(fn) {\n    const x = socket.write(chunk, fn)';
const FLUSH_FIXED = `function nextWrite(fn) {
    if (!socket) {
      nextWriteTimer !== null && clearImmediate(nextWriteTimer)
      chunk = nextWriteTimer = null
      error(Errors.connection('CONNECTION_CLOSED', options, socket))
      return false
    }
    const x = socket.write(chunk, fn)`;
const CLOSE = 'async function closed(hadError) {\n    incoming = Buffer.alloc(0)';
const CLOSE_FIXED = `async function closed(hadError) {
    chunk = null
    incoming = Buffer.alloc(0)`;
// closed() clears the pending flush; its handle must go too, or the next socket never flushes.
const CLOSE_TIMER = 'incomings = null\n    clearImmediate(nextWriteTimer)\n';
const CLOSE_TIMER_FIXED = 'incomings = null\n    clearImmediate(nextWriteTimer)\n    nextWriteTimer = null\n';

/** The driver's connection source with the fix, or null when it does not match this version. */
export function applyDriverFix(source: string): string | null {
  if (![FLUSH, CLOSE, CLOSE_TIMER].every((anchor) => source.split(anchor).length === 2)) return null;
  return source
    .replace(FLUSH, FLUSH_FIXED)
    .replace(CLOSE, CLOSE_FIXED)
    .replace(CLOSE_TIMER, CLOSE_TIMER_FIXED);
}

const isConnectionModule = (url: string) => /\/postgres\/(cjs\/)?src\/connection\.js$/.test(url);

const installed = Symbol.for('guichet.postgres-driver-fix');
const registry = globalThis as { [installed]?: true };
if (!registry[installed]) {
  registry[installed] = true;
  registerHooks({
    load(url, context, nextLoad) {
      const result = nextLoad(url, context);
      if (!isConnectionModule(url) || result.source == null) return result;
      const fixed = applyDriverFix(String(result.source));
      if (fixed === null) {
        process.emitWarning('postgres.js : correctif de nextWrite non appliqué (version différente)');
        return result;
      }
      return { ...result, source: fixed };
    },
  });
}

const { default: postgres } = await import('postgres');
export default postgres;
