import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Prometheus metrics of one node (prom-client). The registry is per boot, so that tests and
 * several nodes in one process keep theirs apart; /metrics serves it behind METRICS_TOKEN.
 */
export type Metrics = {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  bookings: Counter<'canal'>;
  conflicts: Counter<'kind'>;
  holds: Counter<'event'>;
  socketsConnected: Gauge<'namespace'>;
  eventLag: Histogram;
  outboxFailures: Counter<'kind'>;
};

export function createMetrics(collectors: {
  outboxDepth: () => Promise<number>;
  outboxFailed: () => Promise<number>;
  dbConnections: () => Promise<{ open: number; active: number; max: number }>;
}): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: 'guichet' });
  // Event-loop lag, heap, GC, CPU: what tells a node is saturated.
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });
  const metrics: Metrics = {
    registry,
    httpDuration: new Histogram({
      name: 'guichet_http_request_duration_seconds',
      help: 'Durée des requêtes HTTP de l’API, par route',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    bookings: new Counter({
      name: 'guichet_bookings_total',
      help: 'Rendez-vous pris, par canal',
      labelNames: ['canal'],
      registers: [registry],
    }),
    conflicts: new Counter({
      name: 'guichet_booking_conflicts_total',
      help: 'Réservations refusées parce que le créneau venait d’être pris',
      labelNames: ['kind'],
      registers: [registry],
    }),
    holds: new Counter({
      name: 'guichet_holds_total',
      help: 'Réservations temporaires posées, libérées, expirées',
      labelNames: ['event'],
      registers: [registry],
    }),
    socketsConnected: new Gauge({
      name: 'guichet_sockets_connected',
      help: 'Navigateurs connectés en direct, par espace de noms',
      labelNames: ['namespace'],
      registers: [registry],
    }),
    eventLag: new Histogram({
      name: 'guichet_event_delivery_lag_seconds',
      help: 'Délai entre la publication d’un événement sur un nœud et sa réception par un autre (sonde)',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
      registers: [registry],
    }),
    outboxFailures: new Counter({
      name: 'guichet_outbox_send_failures_total',
      help: 'Envois de courriels en échec (réessayés plus tard ou abandonnés)',
      labelNames: ['kind'],
      registers: [registry],
    }),
  };
  new Gauge({
    name: 'guichet_outbox_depth',
    help: 'Courriels dus et pas encore envoyés (tous nœuds)',
    registers: [registry],
    async collect() {
      this.set(await collectors.outboxDepth().catch(() => Number.NaN));
    },
  });
  new Gauge({
    name: 'guichet_outbox_failed',
    help: 'Courriels abandonnés après trop d’échecs (tous nœuds)',
    registers: [registry],
    async collect() {
      this.set(await collectors.outboxFailed().catch(() => Number.NaN));
    },
  });
  new Gauge({
    name: 'guichet_db_connections',
    help: 'Connexions PostgreSQL de ce nœud : ouvertes, actives, maximum du pool',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      const c = await collectors
        .dbConnections()
        .catch(() => ({ open: Number.NaN, active: Number.NaN, max: Number.NaN }));
      this.set({ state: 'open' }, c.open);
      this.set({ state: 'active' }, c.active);
      this.set({ state: 'max' }, c.max);
    },
  });
  return metrics;
}
