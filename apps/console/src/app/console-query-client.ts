import { createQueryClient } from '../api/query-client';

/** The console's server-state cache: main.tsx, the router's loaders and the React tree share it. */
export const queryClient = createQueryClient();
