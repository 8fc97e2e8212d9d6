import { bearer, createTestDatabase, startTestApi } from '../support';

describe('restart keeps the data', () => {
  it('keeps agents and tokens across an API restart and does not bootstrap a second admin', async () => {
    const database = await createTestDatabase();
    const first = await startTestApi({ database, env: { BOOTSTRAP_ADMIN_TOKEN: 'hds_first_start_token_0001' } });
    const created = await first.http
      .post('/api/v1/agents')
      .set(bearer(first.adminToken))
      .send({ name: 'Kept', email: 'kept@partner.example', roles: ['helpdesk_agent'] });
    expect(created.status).toBe(201);
    await first.close({ keepDatabase: true });

    // A different bootstrap token on the second start is ignored: staff already exists.
    const second = await startTestApi({ database, env: { BOOTSTRAP_ADMIN_TOKEN: 'hds_second_start_token_002' } });
    try {
      const list = await second.http.get('/api/v1/agents').set(bearer('hds_first_start_token_0001'));
      expect(list.status).toBe(200);
      expect(list.body.map((a: { email: string }) => a.email)).toEqual(['admin@helpdesk.local', 'kept@partner.example']);
      expect((await second.http.get('/health/live').set(bearer(created.body.token))).status).toBe(200);
      expect((await second.http.get('/api/v1/agents').set(bearer('hds_second_start_token_002'))).status).toBe(401);
      const admins = await second.dataSource.query(`SELECT count(*)::int AS n FROM agents WHERE 'global_admin' = ANY(roles)`);
      expect(admins[0].n).toBe(1);
    } finally {
      await second.close();
    }
  });
});
