import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { fetchClient, type Schemas } from '../../api/client';

export type Token = Schemas['TokenResponseDto'];
export type IssuedToken = Schemas['IssuedTokenResponseDto'];

/** Whose tokens: a staff member's (staff tokens) or a customer's (tokens scoped to that customer). */
export interface TokenOwner {
  kind: 'agent' | 'customer';
  id: string;
}

/** The typed client's answer, or its problem thrown (the query's and mutation's error). */
function answer<T>({ data, error }: { data?: T; error?: unknown }): T {
  if (error !== undefined || data === undefined) throw error;
  return data;
}

const ownerPath = (owner: TokenOwner) => ({ params: { path: { id: owner.id } } });
const tokenPath = (owner: TokenOwner, tokenId: string) => ({ params: { path: { id: owner.id, tokenId } } });

async function list(owner: TokenOwner): Promise<Token[]> {
  return answer(owner.kind === 'agent' ? await fetchClient.GET('/api/v1/agents/{id}/tokens', ownerPath(owner)) : await fetchClient.GET('/api/v1/customers/{id}/tokens', ownerPath(owner)));
}

async function issue(owner: TokenOwner): Promise<IssuedToken> {
  return answer(owner.kind === 'agent' ? await fetchClient.POST('/api/v1/agents/{id}/tokens', ownerPath(owner)) : await fetchClient.POST('/api/v1/customers/{id}/tokens', ownerPath(owner)));
}

async function rotate(owner: TokenOwner, tokenId: string): Promise<IssuedToken> {
  return answer(
    owner.kind === 'agent'
      ? await fetchClient.POST('/api/v1/agents/{id}/tokens/{tokenId}/rotate', tokenPath(owner, tokenId))
      : await fetchClient.POST('/api/v1/customers/{id}/tokens/{tokenId}/rotate', tokenPath(owner, tokenId)),
  );
}

async function revoke(owner: TokenOwner, tokenId: string): Promise<Token> {
  return answer(
    owner.kind === 'agent'
      ? await fetchClient.DELETE('/api/v1/agents/{id}/tokens/{tokenId}', tokenPath(owner, tokenId))
      : await fetchClient.DELETE('/api/v1/customers/{id}/tokens/{tokenId}', tokenPath(owner, tokenId)),
  );
}

/**
 * An owner's tokens (never the tokens themselves: prefix, created, last used, revoked) and the
 * changes to them. A new or rotated token's value is in the mutation's answer, shown once.
 */
export function useTokens(owner: TokenOwner) {
  const queryClient = useQueryClient();
  const queryKey = ['tokens', owner.kind, owner.id];
  const tokens = useQuery({ queryKey, queryFn: () => list(owner) });
  const changed = () => void queryClient.invalidateQueries({ queryKey });
  const create = useMutation({ mutationFn: () => issue(owner), onSettled: changed });
  const replace = useMutation({ mutationFn: (tokenId: string) => rotate(owner, tokenId), onSettled: changed });
  const remove = useMutation({ mutationFn: (tokenId: string) => revoke(owner, tokenId), onSettled: changed });
  return { tokens, create, replace, remove };
}
