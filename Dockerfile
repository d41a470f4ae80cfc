# hf-github-bridge as a Hugging Face Docker Space (or any container host): `serve` on port 7860.
# `npm run space:rehearse` runs these steps without Docker (see README, "Running on a Hugging Face
# Docker Space"); it understands FROM, ENV, WORKDIR, COPY, RUN, USER, EXPOSE and CMD, so keep to those.
FROM node:24-slim
ENV NODE_ENV=production
# V8 grows its young generation to 128 MB under a webhook burst and keeps it, in the main thread and
# in the SQLite worker thread alike. 4 MB semi-spaces (each thread) cost no throughput we could measure
# (issue 21, `BENCH_AFTER_LOAD_SECONDS=20 BENCH_ONLY=memory npm run bench` and 8 s runs of 64
# connections: 16 MB → 4 MB took RSS idle 120 → 114 MB, peak 302 → 214, 20 s after 313 → 218, at
# 8.1k → 8.4–8.7k req/s); 2 MB was slower and no smaller at its peak.
ENV NODE_OPTIONS=--max-semi-space-size=4
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only: the image already has Node 24, so the `node` devDependency is not needed.
RUN npm install --omit=dev --no-audit --no-fund
COPY bin ./bin
COPY src ./src
COPY schema ./schema
COPY examples ./examples
# The config: hf-bridge.yml at the root of the Space repository, when there is one (the [l] makes
# the copy optional; without a config the bridge runs with no routes and says so).
COPY package.json hf-bridge.ym[l] ./
# Spaces run the container as user 1000. The store is /data/bridge.db when the Space has persistent
# storage (mounted at /data), else /app/data/bridge.db, which a restart loses; HF_BRIDGE_STORE overrides.
RUN mkdir -p /app/data && chown 1000:1000 /app/data
USER 1000
EXPOSE 7860
CMD ["node", "bin/hf-bridge.js", "serve"]
