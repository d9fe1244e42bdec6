# profhub in a container: the server, the web app and the Python shim, as user 10001.
#   docker build -t profhub .
#   docker run --init -p 8080:8080 -v profhub-data:/data -e AUTH_TOKEN=… profhub
# Two stages: `build` has the compilers and every dev dependency; the runtime image keeps
# node, python3 (the shim, standard library only), the bundles and production node_modules.
# apps/server/test/deploy/container.test.ts runs these steps without a Docker engine.

# Both stages use the same Node release: better-sqlite3's addon is built in one, loaded in the other.
ARG NODE_VERSION=20.20

FROM node:${NODE_VERSION}-bookworm AS build
# make and g++ build better-sqlite3 when no prebuilt binary fits; node-gyp runs on python3.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
# The version of the root package.json's packageManager field.
RUN npm install -g pnpm@10.34.9
WORKDIR /app

# Packages, from the lockfile alone: this layer is reused until pnpm-lock.yaml changes.
COPY pnpm-lock.yaml pnpm-workspace.yaml .npmrc ./
COPY patches patches
RUN pnpm fetch --frozen-lockfile

# Links the fetched packages, builds better-sqlite3, then the root postinstall runs `pnpm
# build` (server bundle, web app, CLI). The repository's .npmrc points node-gyp at Debian's
# /usr; the official image keeps Node's headers beside its node, under /usr/local.
COPY . .
RUN npm_config_nodedir="$(dirname "$(dirname "$(command -v node)")")" \
    pnpm install --frozen-lockfile --offline

# The server's production dependencies only (what dist/server.js leaves external: fastify,
# better-sqlite3, pg, @aws-sdk/client-s3, …), with their built addons, in prod/server.
RUN pnpm --filter @profhub/server deploy --prod --offline \
    --config.inject-workspace-packages=true prod/server

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 \
 && rm -rf /var/lib/apt/lists/*
# A fixed uid, so that a volume's owner can be set on the host (chown 10001).
RUN groupadd --system --gid 10001 profhub \
 && useradd --system --uid 10001 --gid profhub --no-create-home --home-dir /nonexistent \
    --shell /usr/sbin/nologin profhub \
 && mkdir /data \
 && chown profhub:profhub /data
WORKDIR /app

# The layout of the repository, as the server finds its parts: shim/ and client/ beside dist/,
# the web build at ../web/dist, and package.json for "type": "module".
COPY --from=build /app/prod/server/node_modules apps/server/node_modules
COPY --from=build /app/apps/server/package.json apps/server/package.json
COPY --from=build /app/apps/server/shim apps/server/shim
# The shim's bytecode, made now: user 10001 cannot write __pycache__ here at each conversion.
RUN python3 -m compileall -q apps/server/shim
COPY --from=build /app/apps/server/client apps/server/client
COPY --from=build /app/apps/web/dist apps/web/dist
COPY --from=build /app/apps/server/dist apps/server/dist

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    DATA_DIR=/data \
    PYTHON=/usr/bin/python3 \
    LOG_FORMAT=json
USER 10001:10001
VOLUME /data
EXPOSE 8080
# Ready means the store answers, DATA_DIR has room and the converter runs (no curl in slim).
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# close-with-grace finishes the requests in flight on SIGTERM (at most 10 s), then exits 0.
STOPSIGNAL SIGTERM
CMD ["node", "apps/server/dist/server.js"]
