import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../api/client';
import { useDirectory } from '../../directory/hooks/use-directory';

/** What a macro changes besides its comment (status, priority, tags, assignee), in words. */
export function MacroActions({ actions }: { actions: Schemas['MacroActionsDto'] }) {
  const { t } = useTranslation();
  const { agentName } = useDirectory();
  const lines = [
    actions.status && t('macros.sets.status', { value: t(`status.${actions.status}`) }),
    actions.priority && t('macros.sets.priority', { value: t(`priority.${actions.priority}`) }),
    actions.addTags?.length && t('macros.sets.tags', { value: actions.addTags.join(', ') }),
    actions.assigneeId !== undefined && t('macros.sets.assignee', { value: agentName(actions.assigneeId) ?? t('ticket.unassigned') }),
  ].filter((line): line is string => typeof line === 'string');
  if (lines.length === 0) return <p className="muted">{t('macros.noActions')}</p>;
  return (
    <ul className="macro-actions">
      {lines.map((line) => (
        <li key={line}>{line}</li>
      ))}
    </ul>
  );
}
