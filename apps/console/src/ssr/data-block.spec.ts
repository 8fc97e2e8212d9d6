import { describe, expect, it } from '@jest/globals';
import { QueryClient, dehydrate } from '@tanstack/react-query';
import { dataBlock, textsOf } from './data-block';

/** A cache seeded as entry-server.tsx seeds it: the answers' parsed bodies under their queries' keys. */
function seeded(answers: Record<string, unknown>) {
  const client = new QueryClient();
  for (const [name, body] of Object.entries(answers)) if (body !== null) client.setQueryData([name], body);
  return dehydrate(client);
}

describe("the server render's data block (data-block.ts)", () => {
  // As a route sends them: key order and spacing its own, characters JSON.stringify leaves raw (U+2028/9), `</script>` and `<!--`.
  const conversationText = '{"ticket":{"id":"t1","subject":"VPN </script><script>alert(1)</script>"},"comments":[{"body":"a <!-- b \u2028 c \u2029 d","n":1.5e3}]}';
  const customersText = '[{"id":"c1","name":"Acme"}]';

  it('carries each answer as the text its route sent, and parses to what serialising the whole cache gives', () => {
    const answers = { session: { agentId: 'a1' }, conversation: JSON.parse(conversationText) as unknown, customers: JSON.parse(customersText) as unknown, agents: null };
    const queries = seeded(answers);
    const block = dataBlock('es', 'Europe/Madrid', queries, textsOf(answers, { conversation: conversationText, customers: customersText }));
    expect(block).toContain(conversationText);
    expect(block).toContain(customersText);
    expect(block).not.toContain('answer-text-');
    expect(JSON.parse(block)).toEqual(JSON.parse(JSON.stringify({ language: 'es', timeZone: 'Europe/Madrid', queries })));
  });

  it('serialises a query whose data is not the very body it has a text for (a copy, another answer)', () => {
    const conversation = JSON.parse(conversationText) as Record<string, unknown>;
    const queries = seeded({ conversation: { ...conversation, ticket: { id: 't1', subject: 'changed since' } } });
    const block = dataBlock('en', 'UTC', queries, textsOf({ conversation }, { conversation: conversationText }));
    expect(block).not.toContain('VPN');
    expect(JSON.parse(block)).toEqual(JSON.parse(JSON.stringify({ language: 'en', timeZone: 'UTC', queries })));
  });

  it('leaves out answers without a text or refused (null)', () => {
    const map = textsOf({ session: { agentId: 'a1' }, agents: null, plans: [] }, { agents: 'null', plans: '[]' });
    expect([...map.values()]).toEqual(['[]']);
  });
});
