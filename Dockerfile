# syntax=docker/dockerfile:1
# One image, two processes: `node dist/src/server.js` (API, default) or `node dist/workers/main.js`.
# Build and runtime share the same base image (Node 24 LTS on Debian bookworm, slim).
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY workers ./workers
COPY scripts ./scripts
COPY web ./web
# Server (tsc → dist/src, dist/workers) and the staff console (vite → dist/web, served at /).
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /app/package.json ./package.json
# JSON seed data is read at run time and is not emitted by tsc.
COPY --from=build --chown=node:node /app/src/modules/reference/data ./dist/src/modules/reference/data
COPY --from=build --chown=node:node /app/src/data ./dist/src/data
# Notification templates are files (reviewed like code), read at run time beside the compiled module.
COPY --from=build --chown=node:node /app/src/modules/notifications/templates ./dist/src/modules/notifications/templates
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:3000/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["node", "dist/src/server.js"]
