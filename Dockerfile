# One image for both apps: the API by default; the worker with the same flags and
# dist/apps/worker/src/main.js (docker-compose.yml runs both).
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
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000 3001
# The apps' runtime flags, as libs/devstack/src/app-runtime.ts gives them everywhere else (its spec compares).
CMD ["node", "--max-semi-space-size=8", "dist/apps/api/src/main.js"]
