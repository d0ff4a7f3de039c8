import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, signIn } from '../helpers/agents.ts';
import { startTestServer, type TestServer } from '../helpers/app.ts';
import { createService, type ServiceFixture } from '../helpers/fixtures.ts';

let server: TestServer;
let svc: ServiceFixture;
let other: ServiceFixture;
type Client = Awaited<ReturnType<typeof signIn>>;
let chef: Client;
let chefId: number;
let admin: Client;
let otherChef: Client;
let colleague: { id: number; login: string };

beforeAll(async () => {
  server = await startTestServer();
  const sql = server.deps.sql;
  svc = await createService(sql, { code: '9870001' });
  other = await createService(sql, { code: '9870002' });
  const c = await createAgent(sql, { on: [{ serviceId: svc.serviceId, profile: 'chef' }] });
  chefId = c.id;
  chef = await signIn(server, c.login);
  admin = await signIn(server, (await createAgent(sql, { administrateur: true })).login);
  otherChef = await signIn(
    server,
    (await createAgent(sql, { on: [{ serviceId: other.serviceId, profile: 'chef' }] })).login,
  );
  colleague = await createAgent(sql, { on: [{ serviceId: other.serviceId, profile: 'agent' }] });
});
afterAll(() => server.close());

const agentsOf = async (c: Client, code: string) => {
  const res = await c.get(`/api/v1/agent/services/${code}/agents`);
  expect(res.status).toBe(200);
  return (await res.json()).agents as { id: number; login: string; profile: string }[];
};

describe('Organiser le service', () => {
  it('a chef attaches an existing agent, changes his profile, removes him', async () => {
    const res = await chef.post(`/api/v1/agent/services/${svc.code}/agents`, {
      login: colleague.login,
      profile: 'consultation',
    });
    expect(res.status).toBe(200);
    expect((await agentsOf(chef, svc.code)).map((a) => [a.login, a.profile])).toContainEqual([
      colleague.login,
      'consultation',
    ]);
    const promoted = await chef.put(`/api/v1/agent/services/${svc.code}/agents/${colleague.id}`, {
      profile: 'agent',
    });
    expect((await promoted.json()).agents.find((a: { id: number }) => a.id === colleague.id).profile).toBe(
      'agent',
    );
    const removed = await chef.call(`/api/v1/agent/services/${svc.code}/agents/${colleague.id}`, {
      method: 'DELETE',
    });
    expect(removed.status).toBe(200);
    expect((await agentsOf(chef, svc.code)).map((a) => a.id)).not.toContain(colleague.id);
    const audits = await server.deps.sql`
      select action from audit_log where service_id = ${svc.serviceId} and action like 'habilitation.%'
      order by id`;
    expect(audits.map((a) => a.action)).toEqual([
      'habilitation.modifiee',
      'habilitation.modifiee',
      'habilitation.retiree',
    ]);
  });

  it('refuses to remove or demote the last chef', async () => {
    const leave = await chef.call(`/api/v1/agent/services/${svc.code}/agents/${chefId}`, {
      method: 'DELETE',
    });
    expect(leave.status).toBe(409);
    expect(await leave.json()).toMatchObject({
      code: 'LAST_CHEF',
      detail: expect.stringMatching(/dernier chef/),
    });
    const demote = await chef.put(`/api/v1/agent/services/${svc.code}/agents/${chefId}`, {
      profile: 'agent',
    });
    expect(demote.status).toBe(409);
    // With a second chef, the first may step down.
    await chef.post(`/api/v1/agent/services/${svc.code}/agents`, { login: colleague.login, profile: 'chef' });
    expect(
      (await admin.put(`/api/v1/agent/services/${svc.code}/agents/${chefId}`, { profile: 'agent' })).status,
    ).toBe(200);
    expect(
      (await admin.put(`/api/v1/agent/services/${svc.code}/agents/${chefId}`, { profile: 'chef' })).status,
    ).toBe(200);
  });

  it('a deactivated chef does not count: the last active chef can neither leave nor step down', async () => {
    const sql = server.deps.sql;
    const lone = await createService(sql, { code: '9870003' });
    const active = await createAgent(sql, { on: [{ serviceId: lone.serviceId, profile: 'chef' }] });
    const gone = await createAgent(sql, { on: [{ serviceId: lone.serviceId, profile: 'chef' }] });
    await sql`update agents set active = false where id = ${gone.id}`;
    const path = `/api/v1/agent/services/${lone.code}/agents/${active.id}`;
    const leave = await admin.call(path, { method: 'DELETE' });
    expect(leave.status).toBe(409);
    expect((await leave.json()).code).toBe('LAST_CHEF');
    const demote = await admin.put(path, { profile: 'agent' });
    expect(demote.status).toBe(409);
    // The deactivated chef's own habilitation may still change.
    expect(
      (await admin.put(`/api/v1/agent/services/${lone.code}/agents/${gone.id}`, { profile: 'agent' })).status,
    ).toBe(200);
    const [row] = await sql<{ profile: string }[]>`
      select profile from habilitations where agent_id = ${active.id} and service_id = ${lone.serviceId}`;
    expect(row!.profile).toBe('chef');
  });

  it('a chef organises his services only; an agent none', async () => {
    expect((await otherChef.get(`/api/v1/agent/services/${svc.code}/agents`)).status).toBe(403);
    expect(
      (
        await otherChef.post(`/api/v1/agent/services/${svc.code}/agents`, {
          login: colleague.login,
          profile: 'chef',
        })
      ).status,
    ).toBe(403);
    const agent = await signIn(server, colleague.login);
    expect((await agent.get(`/api/v1/agent/services/${other.code}/agents`)).status).toBe(403);
  });
});

describe('an administrateur creates agents and services', () => {
  it('creates an agent whose first password must be changed before anything else', async () => {
    expect(
      (
        await chef.post('/api/v1/agent/agents', {
          login: 'nouvel.agent',
          name: 'Nouvel Agent',
          password: 'premier-mot-de-passe',
        })
      ).status,
    ).toBe(403);
    const weak = await admin.post('/api/v1/agent/agents', {
      login: 'court.agent',
      name: 'Court',
      password: 'court',
    });
    expect(weak.status).toBe(422);
    const res = await admin.post('/api/v1/agent/agents', {
      login: 'nouvel.agent',
      name: 'Nouvel Agent',
      password: 'premier-mot-de-passe',
      habilitations: [{ code: svc.code, profile: 'agent' }],
    });
    expect(res.status).toBe(201);
    const first = await signIn(server, 'nouvel.agent', 'premier-mot-de-passe');
    expect((await (await first.get('/api/v1/auth/me')).json()).mustChangePassword).toBe(true);
    const blocked = await first.get('/api/v1/agent/services');
    expect(blocked.status).toBe(403);
    expect((await blocked.json()).code).toBe('PASSWORD_CHANGE_REQUIRED');
    const elsewhere = await signIn(server, 'nouvel.agent', 'premier-mot-de-passe');
    const wrong = await first.post('/api/v1/auth/password', {
      current: 'faux',
      next: 'un-mot-de-passe-choisi',
    });
    expect((await wrong.json()).errors[0].field).toBe('current');
    expect(
      (
        await first.post('/api/v1/auth/password', {
          current: 'premier-mot-de-passe',
          next: 'un-mot-de-passe-choisi',
        })
      ).status,
    ).toBe(204);
    expect((await first.get('/api/v1/agent/services')).status).toBe(200);
    expect((await elsewhere.get('/api/v1/auth/me')).status).toBe(401); // other sessions end
    await signIn(server, 'nouvel.agent', 'un-mot-de-passe-choisi');
    expect(
      (
        await admin.post('/api/v1/agent/agents', {
          login: 'nouvel.agent',
          name: 'Doublon',
          password: 'premier-mot-de-passe',
        })
      ).status,
    ).toBe(422);
  });

  it('creates a service of the network, inactive until its chef configures it', async () => {
    const body = {
      codePrincipal: '9870099',
      kind: 'SIP',
      name: 'SERVICE IMPOTS PARTICULIERS ESSAI',
      postcode: '58000',
      city: 'NEVERS',
    };
    expect((await chef.post('/api/v1/agent/services', body)).status).toBe(403);
    const res = await admin.post('/api/v1/agent/services', body);
    expect(res.status).toBe(201);
    const card = await (await fetch(`${server.url}/api/v1/services/9870099`)).json();
    expect(card).toMatchObject({ name: body.name, bookableOnline: false });
  });
});
