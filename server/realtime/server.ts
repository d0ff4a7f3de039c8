import type { Server as HttpServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { Server } from 'socket.io';
import type { Logger } from '../infra/logger.ts';
import type { Metrics } from '../infra/metrics.ts';
import type { Redis } from '../infra/redis.ts';
import { type AgentAccess, type AgentNamespace, setupAgents } from './agents.ts';
import {
  type AgentServerEvents,
  agentRoom,
  type EventPublisher,
  type PublicClientEvents,
  type PublicServerEvents,
  publicRoom,
} from './events.ts';

export type { AgentAccess, AgentIdentity } from './agents.ts';

export type Realtime = {
  io: Server;
  publisher: EventPublisher;
  /** Drops this node's agent sockets whose session has expired at `now` (runs every second). */
  sweepExpiredSessions(now: Date): Promise<number>;
  attach(http: HttpServer): void;
  close(): Promise<void>;
};

const SERVICE_CODE = /^\d{7}$/;
// Between nodes only (never to browsers): a service's configuration changed.
const CONFIG_CHANGED = 'guichet:config-changed';
const PEER_ACK_TIMEOUT_MS = 1_000;

/**
 * The adapter polls its stream with XREAD on a duplicate of the client it is given, and retries
 * at once on failure. With our fail-fast client (no offline queue) a Redis outage would turn that
 * retry into a busy loop that starves the event loop; its reading duplicate therefore queues
 * while offline, while publishing keeps failing fast so local clients still get their events.
 */
function adapterClient(redis: Redis): Redis {
  return new Proxy(redis, {
    get(target, prop) {
      if (prop === 'duplicate') {
        return (overrides?: object) => target.duplicate({ ...overrides, disableOfflineQueue: false });
      }
      // Its ephemeral messages (heartbeats, answers to other nodes) are published without a catch:
      // while Redis is away each failure was a rejection nobody handled, which stops the node
      // (infra/unhandled.ts) — every node, 5 s into an outage. They are lost, as Redis is.
      if (prop === 'publish' || prop === 'sPublish') {
        const publish = target[prop].bind(target) as (...args: unknown[]) => Promise<number>;
        return (...args: unknown[]) => publish(...args).catch(() => 0);
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * Socket.IO on the same port as the pages and the API. With Redis, the streams adapter carries
 * every event to the clients of every node; without, events stay in this process.
 */
export function createRealtime(options: {
  redis: Redis | undefined;
  /** Redis stream of this deployment's events. */
  streamName?: string;
  log: Logger;
  metrics?: Metrics;
  agentAccess: AgentAccess;
  /** Another node saved a change of this service's configuration (its offer cache drops it). */
  onPeerConfigChanged?: (serviceCode: string) => void;
  /** Another node published a change of a service's rdvs or fermetures. */
  onPeerOccupationChanged?: (serviceCode: string) => void;
  /** Redis is back after an outage: events of the other nodes may have been missed meanwhile. */
  onRedisBack?: () => void;
}): Realtime {
  const io = new Server<PublicClientEvents, PublicServerEvents>({
    path: '/socket.io/',
    serveClient: false,
    // Vite's HMR socket shares the dev server: leave upgrades that are not ours alone.
    destroyUpgrade: false,
    // A recovered connection goes through the middlewares again, but only after Socket.IO has
    // restored it: the /agent namespace checks the session before (agents.ts, guardRecovery).
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000, skipMiddlewares: false },
    ...(options.redis
      ? {
          adapter: createAdapter(adapterClient(options.redis), {
            streamName: options.streamName ?? 'socket.io',
            // Server-side messages (the config-changed acknowledgements, the lag probe) go through
            // Redis pub/sub: one channel per deployment, or nodes of another deployment sharing
            // the Redis would be counted as peers that never answer.
            channelPrefix: options.streamName ?? 'socket.io',
          }),
        }
      : {}),
  });

  const gauge = options.metrics?.socketsConnected;
  io.on('connection', (socket) => {
    gauge?.inc({ namespace: '/' });
    socket.on('disconnect', () => gauge?.dec({ namespace: '/' }));
    socket.on('subscribe', (e, ack) => {
      const code = typeof e?.serviceCode === 'string' ? e.serviceCode : '';
      if (!SERVICE_CODE.test(code)) {
        ack?.({ ok: false, error: 'Code de service invalide (7 chiffres attendus).' });
        return;
      }
      void socket.join(publicRoom(code));
      ack?.({ ok: true });
    });
    socket.on('unsubscribe', (e) => {
      if (typeof e?.serviceCode === 'string') void socket.leave(publicRoom(e.serviceCode));
    });
  });

  // Agents: the session cookie, from our own pages, is required to connect (agents.ts).
  const agents = io.of('/agent') as unknown as AgentNamespace;
  const agentSockets = setupAgents(agents, options.agentAccess, gauge);

  // A probe through the adapter: each node tells the others the time every few seconds, and the
  // receivers measure how long the event took to reach them (the lag agents' events see too).
  const lag = options.metrics?.eventLag;
  let probe: NodeJS.Timeout | undefined;
  if (options.redis && lag) {
    io.on('guichet:probe' as never, (sentAt: number) => {
      if (typeof sentAt === 'number') lag.observe(Math.max(0, Date.now() - sentAt) / 1000);
    });
    probe = setInterval(() => io.serverSideEmit('guichet:probe' as never, Date.now() as never), 5_000);
    probe.unref();
  }

  // A change of a service's configuration saved on another node: this node's copy of the offer is
  // dropped, then the saving node hears that it was (it answers its chef only after every node did).
  io.on(CONFIG_CHANGED as never, (serviceCode: unknown, ack?: (ok: boolean) => void) => {
    if (typeof serviceCode === 'string') options.onPeerConfigChanged?.(serviceCode);
    if (typeof ack === 'function') ack(true);
  });

  // A change of a service's rdvs or fermetures, told to every node on a Redis channel of this
  // deployment (ahead of the adapter's stream, which the browsers' events travel), so that a
  // browser hearing of the change and listing again anywhere gets the new answer. Our own client
  // and catch: the adapter's serverSideEmit leaves a failed PUBLISH unhandled while Redis is away.
  const occupationChannel = `${options.streamName ?? 'guichet'}:occupation`;
  const subscriber = options.redis?.duplicate();
  if (subscriber) {
    subscriber.on('error', () => {}); // the main client already logs the outage
    void subscriber
      .connect()
      .then(() => subscriber.subscribe(occupationChannel, (code) => options.onPeerOccupationChanged?.(code)))
      .catch(() => {});
  }
  const occupationChanged = (serviceCode: string) => {
    options.redis?.publish(occupationChannel, serviceCode).catch(() => {
      // Redis away: the other nodes' copies age out (1 s) or go when Redis is back.
    });
  };

  // While Redis was away, events published on the other nodes did not reach this node's clients:
  // when it is back, they are told to fetch what they show again (the API is the truth).
  if (options.redis) {
    let down = false;
    options.redis.on('error', () => {
      down = true;
    });
    options.redis.on('ready', () => {
      if (!down) return;
      down = false;
      options.onRedisBack?.();
      io.local.emit('resync', {});
      agents.local.emit('resync', {});
      options.log.info('Redis de retour : les navigateurs connectés rechargent ce qu’ils affichent');
    });
  }

  let attached = false;
  const publisher: EventPublisher = {
    slotTaken: (e) => {
      occupationChanged(e.serviceCode);
      io.to(publicRoom(e.serviceCode)).emit('slot-taken', e);
    },
    slotFreed: (e) => {
      occupationChanged(e.serviceCode);
      io.to(publicRoom(e.serviceCode)).emit('slot-freed', e);
    },
    configChanged: async (e) => {
      occupationChanged(e.serviceCode);
      io.to(publicRoom(e.serviceCode)).emit('config-changed', e);
      agents.to(agentRoom(e.serviceCode)).emit('config-changed', e);
      if (!options.redis) return;
      // Bounded: a node that does not answer (gone, or Redis away) drops its copy on its own,
      // when its cache entry ages out or when Redis comes back.
      let timer: NodeJS.Timeout | undefined;
      try {
        const acked = (
          io as unknown as { serverSideEmitWithAck(ev: string, code: string): Promise<unknown> }
        ).serverSideEmitWithAck(CONFIG_CHANGED, e.serviceCode);
        await Promise.race([
          acked.catch(() => undefined),
          new Promise((resolve) => {
            timer = setTimeout(resolve, PEER_ACK_TIMEOUT_MS);
          }),
        ]);
      } catch {
        // Redis away: nothing more to do here.
      } finally {
        clearTimeout(timer);
      }
    },
    agent: (serviceCode, name, payload) => {
      agents
        .to(agentRoom(serviceCode))
        .emit(name, ...([payload] as Parameters<AgentServerEvents[typeof name]>));
    },
    dropAgentSockets: (who) => agentSockets.drop(who),
  };

  return {
    io: io as unknown as Server,
    publisher,
    sweepExpiredSessions: (now) => agentSockets.sweepExpired(now),
    attach: (http) => {
      io.attach(http);
      attached = true;
    },
    close: async () => {
      clearInterval(probe);
      await subscriber?.close().catch(() => {});
      // Socket.IO cannot close an engine it never started (a node used without HTTP, e.g. the bench).
      if (!attached) {
        await Promise.all(
          [io.of('/').adapter.close(), agents.adapter.close()].map((p) => Promise.resolve(p)),
        );
        return;
      }
      await new Promise<void>((resolve) => {
        io.close(() => resolve());
      });
    },
  };
}
