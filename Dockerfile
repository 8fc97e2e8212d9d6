# One image for the three apps: `node dist/apps/api/src/main.js`, `node dist/apps/worker/src/main.js` or
# `node dist/apps/mail-in/src/main.js` (the inbound SMTP listener, INBOUND_SMTP_PORT).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY apps ./apps
COPY libs ./libs
COPY bench ./bench
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
# The apps' shared runtime flags, as libs/devstack/src/app-runtime.ts gives them everywhere else (its spec compares);
# docker-compose gives the worker its own (its larger young generation).
ENV NODE_OPTIONS="--max-semi-space-size=8 --max-old-space-size=1024"
ENV MALLOC_ARENA_MAX=2
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000 3001 3002 2525
CMD ["node", "dist/apps/api/src/main.js"]
