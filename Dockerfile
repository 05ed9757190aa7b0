# syntax=docker/dockerfile:1
# The portal in a container: `npm run build` (webpack, decision 053) with output 'standalone' (NEXT_OUTPUT, next.config.js),
# served by our own server.mjs (edge refusals, request ids, CSP nonces, logs, metrics, graceful
# shutdown) instead of the server.js Next.js writes there. Untested on the machine it was written
# on (no registry access): see README "Running in production".

ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
# better-sqlite3 and @node-rs/argon2 ship prebuilt binaries; build tools only if one must compile.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY scripts/prisma-generate.mjs scripts/prisma-generate.mjs
COPY prisma prisma
RUN npm ci

FROM deps AS build
COPY . .
# Must be the same on every instance serving one APP_URL (README "Several instances").
ARG NEXT_SERVER_ACTIONS_ENCRYPTION_KEY
ENV NEXT_TELEMETRY_DISABLED=1 NEXT_OUTPUT=standalone \
    NEXT_SERVER_ACTIONS_ENCRYPTION_KEY=${NEXT_SERVER_ACTIONS_ENCRYPTION_KEY}
RUN npm run generate && npm run build
# server.mjs and the plain modules it imports (next.config.js names lib/security's cache handler)
# run from the standalone folder, next to the traced node_modules; migrations for the start-up check.
RUN cp server.mjs next.config.js package.json .next/standalone/ \
 && find lib -name '*.mjs' -exec cp --parents {} .next/standalone/ \; \
 && mkdir -p .next/standalone/prisma && cp -r prisma/migrations .next/standalone/prisma/ \
 && cp -r .next/static .next/standalone/.next/static \
 && if [ -d public ]; then cp -r public .next/standalone/public; fi

# One-off jobs (migrations as the owner, app role, backups): the full install.
FROM build AS tools
USER node
CMD ["npm", "run", "db:migrate"]

FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
# MALLOC_ARENA_MAX and the heap flags below are what `npm start` runs with (README, "Memory of one instance").
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000 HOST=0.0.0.0 MALLOC_ARENA_MAX=2 \
    DATABASE_URL=file:/app/data/portal.db MAIL_DIR=/app/data/mail
RUN groupadd --system portal && useradd --system --gid portal --home /app portal \
 && mkdir -p /app/data && chown portal:portal /app/data
COPY --from=build --chown=root:root /app/.next/standalone ./
# The build's file-system cache (prerendered pages) is written at run time: only it is writable.
RUN mkdir -p .next/cache && chown -R portal:portal .next/cache
USER portal
VOLUME ["/app/data"]
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM goes straight to node (exec form, no shell): server.mjs drains and exits 0.
CMD ["node", "--max-old-space-size=192", "--max-semi-space-size=8", "server.mjs"]
