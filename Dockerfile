# One image for every service; APP picks which one runs (see docker-compose.yml).
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production KAFKAJS_NO_PARTITIONER_WARNING=1 HOST=0.0.0.0 CLIENTBOOK_DATA_DIR=/app/.data
COPY package.json package-lock.json ./
# Dev dependencies too: the services run their TypeScript through SWC (tools/register.cjs).
RUN npm ci --no-audit --no-fund --ignore-scripts=false && npm cache clean --force
COPY tsconfig.base.json tsconfig.json ./
COPY tools/register.cjs tools/liveness.cjs tools/
COPY libs libs
COPY apps apps
# The product's own help, loaded by the knowledge base at start.
COPY content content
RUN mkdir -p /app/.data && chown node:node /app/.data
ARG APP
ENV APP=${APP}
USER node
CMD ["sh", "-c", "exec node -r ./tools/register.cjs apps/${APP}/src/main.ts"]
