import { Client } from 'pg';
import { TicketSearchDocumentStorage1764005510000 } from '../../libs/database/src/migrations/1764005510000-TicketSearchDocumentStorage';
import { createTestDatabase, dropTestDatabase } from '../support';

/**
 * The analysis behind the search documents (intake's ticket-search.sql): the configurations
 * helpdesk_en and helpdesk_es send the ASCII token types straight to the stemmer and only the
 * others through unaccent first. An ASCII word has no accent, so this is the cheaper form of
 * "unaccent, then stem" for every word: on a multilingual corpus (accents, ñ, hyphenated words,
 * e-mail addresses, URLs, error codes, numbers) the documents are the ones a configuration that
 * unaccents every word type would make. bench/README.md, "Search documents' PostgreSQL cost".
 */
describe('search analysis', () => {
  let database: { name: string; url: string };
  let client: Client;

  const CORPUS = [
    'No puedo iniciar sesión en Teams desde el móvil; la contraseña caducó el año pasado.',
    'Señor Núñez, la facturación de España y de Chloé Ibáñez está duplicada: ¿cuándo se corrige?',
    'The e-mail from marta.lopez@contoso.com bounced: 550 5.7.1 relay denied (error 0x8023134a).',
    'See https://portal.azure.com/#blade/Microsoft_Azure_Billing and http://contoso.example/path?q=1.',
    'Cross-tenant sync is self-service; re-run the co-management wizard after the half-hour window.',
    'Über-admin rôle für naïve café users: façade, coöperate, résumé — all with accents.',
    'AADSTS50076, HTTP 500, 3.14 GB, v2.1.0-beta, 25 seats, +34 954 000 123, 2026-11-25T08:14:02Z.',
    'Actualización crítica del catálogo de licencias: los usuarios no reciben correos electrónicos.',
    'niño-adolescente, médico-quirúrgico, Ñandú, pingüino, ACCIÓN, Árbol, ÉXITO.',
  ];

  beforeAll(async () => {
    database = await createTestDatabase();
    client = new Client({ connectionString: database.url });
    await client.connect();
  });

  afterAll(async () => {
    await client?.end();
    await dropTestDatabase(database.name);
  });

  const mapping = async (config: string): Promise<Record<string, string>> => {
    const { rows } = await client.query<{ alias: string; dictionaries: string }>(
      `SELECT t.alias, string_agg(m.mapdict::regdictionary::text, ',' ORDER BY m.mapseqno) AS dictionaries
         FROM pg_ts_config_map m JOIN ts_token_type('default') t ON t.tokid = m.maptokentype
        WHERE m.mapcfg = $1::regconfig GROUP BY t.alias`,
      [config],
    );
    return Object.fromEntries(rows.map((r) => [r.alias, r.dictionaries]));
  };

  it.each([
    ['helpdesk_en', 'english_stem'],
    ['helpdesk_es', 'spanish_stem'],
  ])('%s stems ASCII words without unaccent and the others after it', async (config, stem) => {
    const map = await mapping(config);
    for (const ascii of ['asciiword', 'asciihword', 'hword_asciipart']) expect({ ascii, dictionaries: map[ascii] }).toEqual({ ascii, dictionaries: stem });
    for (const other of ['word', 'hword', 'hword_part']) expect({ other, dictionaries: map[other] }).toEqual({ other, dictionaries: `unaccent,${stem}` });
  });

  it('makes the documents a configuration that unaccents every word would make', async () => {
    await client.query('BEGIN');
    try {
      for (const [name, stem] of [['reference_en', 'english_stem'], ['reference_es', 'spanish_stem']]) {
        await client.query(`CREATE TEXT SEARCH CONFIGURATION ${name} (COPY = ${name === 'reference_en' ? 'helpdesk_en' : 'helpdesk_es'})`);
        await client.query(`ALTER TEXT SEARCH CONFIGURATION ${name} ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part WITH unaccent, ${stem}`);
      }
      const { rows } = await client.query<{ body: string; doc: string; reference: string }>(
        `SELECT body, ticket_search_doc(body, 'B')::text AS doc,
                setweight(to_tsvector('reference_en', body) || to_tsvector('reference_es', body), 'B')::text AS reference
           FROM unnest($1::text[]) AS body`,
        [CORPUS],
      );
      expect(rows).toHaveLength(CORPUS.length);
      for (const { body, doc, reference } of rows) expect({ body, doc }).toEqual({ body, doc: reference });
      // The corpus does reach unaccent: its accented words lose their accents, in both analyses.
      const joined = rows.map((r) => r.doc).join(' ');
      expect(joined).toContain(`'sesion'`);
      expect(joined).toContain(`'nunez'`);
      expect(joined).toContain(`'marta.lopez@contoso.com'`);
      expect(joined).not.toMatch(/[áéíóúñü]/);
    } finally {
      await client.query('ROLLBACK');
    }
  });

  describe('storage of the documents', () => {
    const storage = async () =>
      (
        await client.query<{ attname: string; attstorage: string }>(
          `SELECT attname, attstorage FROM pg_attribute WHERE attrelid = 'ticket_search'::regclass AND attname IN ('public_doc', 'staff_doc') ORDER BY attname`,
        )
      ).rows.map((r) => `${r.attname} ${r.attstorage}`);
    const runner = () => ({ query: (sql: string) => client.query(sql) }) as never;

    it('stores a large document out of line, uncompressed', async () => {
      expect(await storage()).toEqual(['public_doc e', 'staff_doc e']);
      await client.query('BEGIN');
      try {
        await client.query(`
          WITH plan AS (
            INSERT INTO support_plans (name, timezone, contact_methods, targets) VALUES ('Storage', 'Europe/Madrid', '{email}', '{}') RETURNING id
          ), customer AS (
            INSERT INTO customers (name, domain, support_plan_id) SELECT 'Storage', gen_random_uuid() || '.example', id FROM plan RETURNING id
          )
          INSERT INTO tickets (id, customer_id, subject, description, priority, channel, requester_name, requester_email)
          SELECT gen_random_uuid(), customer.id, 'Export of the audit log', (SELECT string_agg('export' || g || 'x', ' ') FROM generate_series(1, 3000) g),
                 'P3', 'email', 'Storage', 'storage@example.com'
            FROM customer`);
        const { rows } = await client.query<{ compression: string | null; out_of_line: boolean; lexemes: number; found: boolean }>(
          `SELECT pg_column_compression(s.staff_doc) AS compression, pg_column_toast_chunk_id(s.staff_doc) IS NOT NULL AS out_of_line,
                  length(s.staff_doc) AS lexemes, s.public_doc @@ ticket_search_query('export2999x') AS found
             FROM ticket_search s JOIN tickets t ON t.id = s.ticket_id WHERE t.subject = 'Export of the audit log'`,
        );
        expect(rows).toEqual([{ compression: null, out_of_line: true, lexemes: expect.any(Number), found: true }]);
        expect(rows[0].lexemes).toBeGreaterThanOrEqual(3000);
      } finally {
        await client.query('ROLLBACK');
      }
    });

    it('reverts to the default storage, and migrates forward again', async () => {
      const migration = new TicketSearchDocumentStorage1764005510000();
      await client.query('BEGIN');
      try {
        await migration.down(runner());
        expect(await storage()).toEqual(['public_doc x', 'staff_doc x']);
        await migration.up(runner());
        expect(await storage()).toEqual(['public_doc e', 'staff_doc e']);
      } finally {
        await client.query('ROLLBACK');
      }
    });
  });
});
