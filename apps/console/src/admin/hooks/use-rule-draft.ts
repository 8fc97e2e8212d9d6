import { useState } from 'react';
import type { Schemas } from '../../api/client';
import { joinList, splitList } from '../../ui/lists';

type Rule = Schemas['TriageRuleResponseDto'];
type RuleBody = Schemas['CreateTriageRuleDto'];
type Conditions = RuleBody['conditions'];
type Actions = RuleBody['actions'];

/** The rule editor's fields as typed (lists as text, choices as strings); `body()` is what the API takes. */
export interface RuleDraft {
  name: string;
  position: string;
  enabled: boolean;
  stopOnMatch: boolean;
  anyKeywords: string;
  allKeywords: string;
  requesterDomain: string;
  category: NonNullable<Conditions['category']>;
  product: NonNullable<Conditions['product']>;
  channel: NonNullable<Conditions['channel']>;
  severity: NonNullable<Conditions['severity']>;
  billingStatus: NonNullable<Conditions['billingStatus']>;
  setCategory: NonNullable<Actions['category']> | '';
  setProduct: NonNullable<Actions['product']> | '';
  setPriority: NonNullable<Actions['priority']> | '';
  setQueue: string;
  setTags: string;
  setInScope: '' | 'yes' | 'no';
  summary: string;
  runbookUrl: string;
}

export function draftOf(rule: Rule | null, nextPosition: number): RuleDraft {
  const c = rule?.conditions ?? {};
  const a = rule?.actions ?? {};
  return {
    name: rule?.name ?? '',
    position: String(rule?.position ?? nextPosition),
    // A new rule is saved switched off: its impact is previewed before it touches a ticket.
    enabled: rule?.enabled ?? false,
    stopOnMatch: rule?.stopOnMatch ?? false,
    anyKeywords: joinList(c.anyKeywords),
    allKeywords: joinList(c.allKeywords),
    requesterDomain: joinList(c.requesterDomain),
    category: c.category ?? [],
    product: c.product ?? [],
    channel: c.channel ?? [],
    severity: c.severity ?? [],
    billingStatus: c.billingStatus ?? [],
    setCategory: a.category ?? '',
    setProduct: a.product ?? '',
    setPriority: a.priority ?? '',
    setQueue: a.queue ?? '',
    setTags: joinList(a.tags),
    setInScope: a.inScope === undefined ? '' : a.inScope ? 'yes' : 'no',
    summary: a.diagnosis?.summary ?? '',
    runbookUrl: a.diagnosis?.runbookUrl ?? '',
  };
}

/** Only what was filled in is sent: an empty condition is no condition, an empty action sets nothing. */
export function bodyOf(draft: RuleDraft): RuleBody {
  const list = (text: string) => (splitList(text).length ? splitList(text) : undefined);
  const some = <T>(values: T[]) => (values.length ? values : undefined);
  const conditions: Conditions = {
    anyKeywords: list(draft.anyKeywords),
    allKeywords: list(draft.allKeywords),
    requesterDomain: list(draft.requesterDomain),
    category: some(draft.category),
    product: some(draft.product),
    channel: some(draft.channel),
    severity: some(draft.severity),
    billingStatus: some(draft.billingStatus),
  };
  const actions: Actions = {
    category: draft.setCategory || undefined,
    product: draft.setProduct || undefined,
    priority: draft.setPriority || undefined,
    queue: draft.setQueue.trim() || undefined,
    tags: list(draft.setTags),
    inScope: draft.setInScope === '' ? undefined : draft.setInScope === 'yes',
    diagnosis: draft.summary.trim() ? { summary: draft.summary.trim(), ...(draft.runbookUrl.trim() ? { runbookUrl: draft.runbookUrl.trim() } : {}) } : undefined,
  };
  const defined = <T extends object>(value: T) => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
  return { name: draft.name.trim(), position: Number(draft.position), enabled: draft.enabled, stopOnMatch: draft.stopOnMatch, conditions: defined(conditions), actions: defined(actions) };
}

export function useRuleDraft(rule: Rule | null, nextPosition: number) {
  const [draft, setDraft] = useState<RuleDraft>(() => draftOf(rule, nextPosition));
  const set = <K extends keyof RuleDraft>(key: K, value: RuleDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  return { draft, set };
}
