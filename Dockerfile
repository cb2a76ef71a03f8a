# syntax=docker/dockerfile:1
# basisbot in production: compiled JavaScript on Node 20, no TypeScript at run time.
# Both stages use the same Node image: sqlite3's native addon is built for its ABI.
# Node 20 is the line package.json's engines names (>=20.19.0, what vite/vitest and
# undici need); node:20-slim is the newest 20.x, which satisfies it.
ARG NODE_IMAGE=node:20-slim

# ---- build: install everything, compile, then drop the dev dependencies ----
FROM ${NODE_IMAGE} AS build
# sqlite3 falls back to compiling its addon (node-gyp) when no prebuilt binary fits.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# The lock file alone decides the dependency layer, so source edits reuse it.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY commands ./commands
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

# ---- runtime: the build output, production dependencies, fonts for the charts ----
FROM ${NODE_IMAGE} AS runtime
# Chart text renders with DejaVu; slim images have no fonts at all.
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    DATA_DIR=/app/data \
    HTTP_PORT=9464
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# `docker exec … node bin/basisbot.js ask "/basis BTC"`: with no src/ here it runs dist/.
COPY bin ./bin
# Code stays root-owned and read-only to the bot; only DATA_DIR (market cache, charts,
# SQLite when STORE_URL is unset) is writable by the unprivileged `node` user.
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME ["/app/data"]
USER node
# 9464: /healthz, /readyz, /metrics. 8443: the Telegram webhook, when TELEGRAM_WEBHOOK_URL is set.
EXPOSE 9464 8443
# slim has no curl: ask with node's own fetch.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.HTTP_PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# basisbot drains its outbox on SIGTERM within 9 s, under Docker's default 10 s before SIGKILL.
STOPSIGNAL SIGTERM
CMD ["node", "dist/src/cli.js", "start"]
