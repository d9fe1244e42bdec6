# profhub: one container with the server, the web app and the embedded store.
#   docker build -t profhub . && docker run -p 8080:8080 -v profhub-data:/data profhub
FROM node:20-bookworm-slim

# python3 runs the pstats shim; make and g++ build better-sqlite3 when no prebuilt binary fits.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
# The official image keeps Node's headers under /usr/local (the repo .npmrc points at Debian's /usr).
ENV npm_config_nodedir=/usr/local
RUN npm install -g pnpm@10.34.9

WORKDIR /app
COPY . .
# `pnpm install` builds the web app and compiles the server (the root postinstall).
RUN pnpm install --frozen-lockfile

ENV HOST=0.0.0.0 PORT=8080 DATA_DIR=/data PYTHON=/usr/bin/python3 NODE_ENV=production LOG_FORMAT=json
VOLUME /data
EXPOSE 8080
CMD ["node", "apps/server/dist/server.js"]
