/**
 * GET /tickets/:id/conversation: the ticket, its comments and its timeline in one answer (what the
 * console's ticket page asks for first), each part exactly what its own route gives the same caller.
 */
import { bearer, createAgent, createCustomer, createPlan, startTestApi, TestApi, ticketBody } from '../support';

describe('a ticket with its comments and timeline in one answer', () => {
  let api: TestApi;
  let customer: { id: string; token: string };
  let other: { id: string; token: string };
  let helpdesk: { id: string; token: string };
  let sales: { id: string; token: string };
  let ticketId: string;

  const conversation = (id: string, token: string) => api.http.get(`/api/v1/tickets/${id}/conversation`).set(bearer(token));
  /** The three reads the answer stands for, as the same caller gets them. */
  const separately = async (id: string, token: string) => {
    const [ticket, comments, events] = await Promise.all(['', '/comments', '/events'].map((part) => api.http.get(`/api/v1/tickets/${id}${part}`).set(bearer(token))));
    for (const res of [ticket, comments, events]) expect(res.status).toBe(200);
    return { ticket: ticket.body, comments: comments.body, events: events.body };
  };
  const expectProblem = (res: { status: number; headers: Record<string, string>; body: { status?: number; title?: string } }, status: number) => {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status, title: expect.any(String) });
  };

  beforeAll(async () => {
    api = await startTestApi();
    const plan = await createPlan(api);
    customer = await createCustomer(api, plan.id, 'Contoso');
    other = await createCustomer(api, plan.id, 'Northwind');
    [helpdesk, sales] = await Promise.all([createAgent(api, ['helpdesk_agent']), createAgent(api, ['sales_agent'])]);
    const created = await api.http.post('/api/v1/tickets').set(bearer(customer.token)).send(ticketBody(undefined, { subject: 'Outlook keeps asking for the password' }));
    expect(created.status).toBe(201);
    ticketId = created.body.id;
    const comment = (body: string, visibility: 'public' | 'internal') => api.http.post(`/api/v1/tickets/${ticketId}/comments`).set(bearer(helpdesk.token)).send({ body, visibility });
    expect((await comment('Hola Marta, ¿puede probar a cerrar la sesión?', 'public')).status).toBe(201);
    expect((await comment('Internal: MFA prompt loops on the old client', 'internal')).status).toBe(201);
    // An assignment: an event of the timeline's internal part.
    expect((await api.http.patch(`/api/v1/tickets/${ticketId}`).set(bearer(helpdesk.token)).send({ assigneeId: helpdesk.id })).status).toBe(200);
  });
  afterAll(async () => {
    await api.close();
  });

  it('gives staff who work the ticket all of it: the ticket, every comment and the whole timeline, as the three reads do', async () => {
    const res = await conversation(ticketId, helpdesk.token);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(await separately(ticketId, helpdesk.token));
    expect(res.body.ticket).toMatchObject({ id: ticketId, subject: 'Outlook keeps asking for the password', assigneeId: helpdesk.id });
    expect(res.body.comments.map((c: { visibility: string }) => c.visibility)).toEqual(['public', 'internal']);
    expect(res.body.events.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['created', 'commented', 'assigned']));
    // The global admin too.
    expect((await conversation(ticketId, api.adminToken)).body).toEqual(await separately(ticketId, api.adminToken));
  });

  it('gives staff who only read the ticket (sales_agent) its public part, as the three reads do', async () => {
    const res = await conversation(ticketId, sales.token);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(await separately(ticketId, sales.token));
    expect(res.body.comments.map((c: { body: string }) => c.body)).toEqual(['Hola Marta, ¿puede probar a cerrar la sesión?']);
    expect(res.body.events.map((e: { type: string }) => e.type)).not.toContain('assigned');
    expect(res.body.ticket.diagnosis).toBeUndefined();
  });

  it("gives a customer token its own ticket's public part (no staff ids), and another customer's ticket does not exist for it", async () => {
    const res = await conversation(ticketId, customer.token);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(await separately(ticketId, customer.token));
    expect(res.body.ticket).not.toHaveProperty('assigneeId');
    expect(res.body.comments).toHaveLength(1);
    expect(res.body.comments[0].author).not.toHaveProperty('id');
    expect(JSON.stringify(res.body)).not.toContain(helpdesk.id);
    expect(JSON.stringify(res.body)).not.toContain('Internal: MFA');

    const hidden = await conversation(ticketId, other.token);
    expectProblem(hidden, 404);
    expect(JSON.stringify(hidden.body)).not.toContain('Outlook');
  });

  it('is a 404 problem for an unknown or malformed id, and a 401 without a token', async () => {
    expectProblem(await conversation('00000000-0000-4000-8000-000000000000', helpdesk.token), 404);
    expectProblem(await conversation('HD-000001', helpdesk.token), 404);
    expectProblem(await api.http.get(`/api/v1/tickets/${ticketId}/conversation`), 401);
  });

  it('is documented with its roles and answer', async () => {
    const document = (await api.http.get('/api/docs-json')).body;
    const operation = document.paths['/api/v1/tickets/{id}/conversation'].get;
    expect(operation['x-roles']).toEqual(['any staff role', 'customer']);
    expect(operation.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/TicketConversationDto' });
  });
});
