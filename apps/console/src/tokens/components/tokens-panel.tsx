import { useState } from 'react';
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { ErrorMessage, QueryState } from '../../ui/feedback';
import { formatDateTime } from '../../ui/format';
import { useTokens, type IssuedToken, type Token, type TokenOwner } from '../hooks/use-tokens';

/** The value of a token just issued: shown here once, never again (the API keeps only its hash). */
function TokenOnce({ issued }: { issued: IssuedToken }) {
  const { t } = useTranslation();
  return (
    <div role="status" className="token-once">
      <p>{t('tokens.once', { prefix: issued.prefix ?? '' })}</p>
      <code>{issued.token}</code>
    </div>
  );
}

/**
 * An owner's tokens: prefix, when created and last used, revoked or not; a new one (shown once),
 * rotate (the old one stops working at once, the new one is shown once) and revoke, each revoke or
 * rotation confirmed first. `canIssue` hides what the caller's role may not do; the API decides.
 */
export function TokensPanel({ owner, title, canIssue, canChange }: { owner: TokenOwner; title: string; canIssue: boolean; canChange: boolean }) {
  const { t } = useTranslation();
  const { tokens, create, replace, remove } = useTokens(owner);
  const [asking, setAsking] = useState<{ action: 'rotate' | 'revoke'; token: Token } | null>(null);
  const [issued, setIssued] = useState<IssuedToken | null>(null);
  const titleId = `tokens-title-${owner.kind}`;
  const failure = create.error ?? replace.error ?? remove.error;

  const confirm = () => {
    if (!asking) return;
    setIssued(null);
    if (asking.action === 'rotate') replace.mutate(asking.token.id, { onSuccess: setIssued });
    else remove.mutate(asking.token.id);
  };

  return (
    <section className="panel tokens" aria-labelledby={titleId}>
      <h2 id={titleId}>{title}</h2>
      {canIssue && (
        <Button
          className="button"
          isDisabled={create.isPending}
          onPress={() => {
            setIssued(null);
            create.mutate(undefined, { onSuccess: setIssued });
          }}
        >
          {t('tokens.create')}
        </Button>
      )}
      {issued && <TokenOnce issued={issued} />}
      <ErrorMessage error={failure} />
      <QueryState query={tokens}>
        {(list) =>
          list.length === 0 ? (
            <p className="empty">{t('tokens.none')}</p>
          ) : (
            <table className="tokens-table">
              <thead>
                <tr>
                  <th scope="col">{t('tokens.prefix')}</th>
                  <th scope="col">{t('tokens.created')}</th>
                  <th scope="col">{t('tokens.lastUsed')}</th>
                  <th scope="col">{t('tokens.state')}</th>
                  {canChange && (
                    <th scope="col">
                      <span className="visually-hidden">{t('tokens.actions')}</span>
                    </th>
                  )}
                </tr>
              </thead>
              <tbody>
                {list.map((token) => {
                  const name = token.prefix ?? token.id.slice(0, 8);
                  return (
                    <tr key={token.id} className={token.revokedAt ? 'revoked' : undefined}>
                      <td>
                        <code>{name}…</code>
                      </td>
                      <td>{formatDateTime(token.createdAt)}</td>
                      <td>{token.lastUsedAt ? formatDateTime(token.lastUsedAt) : t('tokens.never')}</td>
                      <td>{token.revokedAt ? t('tokens.revokedAt', { at: formatDateTime(token.revokedAt) }) : t('tokens.active')}</td>
                      {canChange && (
                        <td className="button-row">
                          {!token.revokedAt && (
                            <>
                              {canIssue && (
                                <Button className="button small" onPress={() => setAsking({ action: 'rotate', token })} aria-label={t('tokens.rotateOne', { prefix: name })}>
                                  {t('tokens.rotate')}
                                </Button>
                              )}
                              <Button className="button small danger" onPress={() => setAsking({ action: 'revoke', token })} aria-label={t('tokens.revokeOne', { prefix: name })}>
                                {t('tokens.revoke')}
                              </Button>
                            </>
                          )}
                        </td>
                      )}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )
        }
      </QueryState>
      <ConfirmDialog
        isOpen={asking !== null}
        onOpenChange={(open) => !open && setAsking(null)}
        title={asking ? t(asking.action === 'rotate' ? 'tokens.rotateTitle' : 'tokens.revokeTitle', { prefix: asking.token.prefix ?? asking.token.id.slice(0, 8) }) : ''}
        confirmLabel={asking?.action === 'rotate' ? t('tokens.rotate') : t('tokens.revoke')}
        onConfirm={confirm}
      >
        <p>{asking?.action === 'rotate' ? t('tokens.rotateEffect') : t('tokens.revokeEffect')}</p>
      </ConfirmDialog>
    </section>
  );
}
