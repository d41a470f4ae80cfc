# hf-github-bridge as a Hugging Face Docker Space (or any container host): `serve` on port 7860.
FROM node:24-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only: the image already has Node 24, so the `node` devDependency is not needed.
RUN npm install --omit=dev --no-audit --no-fund
COPY src ./src
COPY schema ./schema
COPY examples ./examples
# Spaces run the container as user 1000; the embedded store writes to /app/data (or /data with
# persistent storage: pass --data /data).
RUN mkdir -p /app/data && chown 1000:1000 /app/data
USER 1000
EXPOSE 7860
CMD ["node", "src/cli/index.ts", "serve"]
