import { decodeGlobalID } from '@pothos/plugin-relay';
import { beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable, resultOf, success, useServer } from '../support/fixture.js';

const MEMBER = 'id name externalKey status priority variables timezone numbers { slot number type tryCount lastDialResult }';
const INTAKE = 'received created duplicates failed errors { row field message }';

type Member = { id: string; name: string; status: string; numbers: { slot: number; number: string; tryCount: number; lastDialResult: number | null }[] };
type Intake = { received: number; created: number; duplicates: number; failed: number; errors: { row: number; field: string | null }[] };

describe.skipIf(!postgresAvailable)('members', () => {
  const server = useServer();
  let dialListId: string;

  const addMembers = async (members: unknown[], dedupe = 'NONE', listId = dialListId) =>
    (
      await server.current.graphql(
        `mutation($id: ID!, $members: [MemberInput!]!, $dedupe: Dedupe) { addMembers(dialListId: $id, members: $members, dedupe: $dedupe) {
          ${resultOf('AddMembersSuccess', INTAKE)} } }`,
        { id: listId, members, dedupe },
      )
    ).data?.addMembers as { __typename: string; data?: Intake; resource?: string };

  const findMember = async (externalKey: string): Promise<Member> => {
    const { data } = await server.current.graphql<{ members: { edges: { node: Member }[] } }>(
      `query($id: ID!, $key: String) { members(first: 5, filter: { dialListId: $id, externalKey: $key }) { edges { node { ${MEMBER} } } } }`,
      { id: dialListId, key: externalKey },
    );
    const member = data?.members.edges[0]?.node;
    if (!member) throw new Error(`no member ${externalKey}`);
    return member;
  };

  const updateMember = async (id: string, input: Record<string, unknown>) =>
    (
      await server.current.graphql(
        `mutation($id: ID!, $input: UpdateMemberInput!) { updateMember(id: $id, input: $input) { ${resultOf('UpdateMemberSuccess', MEMBER)} } }`,
        { id, input },
      )
    ).data?.updateMember as { __typename: string; data?: Member; problems?: { field: string }[] };

  beforeAll(async () => {
    if (!postgresAvailable) return;
    const { data } = await server.current.graphql(`mutation { createDialList(input: { name: "Members" }) { ${resultOf('CreateDialListSuccess', 'id')} } }`);
    dialListId = success<{ id: string }>(data, 'createDialList').id;
  });

  it('adds members and reports a bad one by its position without dropping the others', async () => {
    const result = await addMembers([
      { name: 'Ana', externalKey: 'A-1', numbers: [{ number: '(555) 100-1000', type: 'mobile' }, { number: '5551001001' }] },
      { name: 'Bad', numbers: [{ number: 'call me' }] },
      { name: 'Ben', externalKey: 'B-1', variables: { TIER: 'gold' }, numbers: [{ number: '+15551002000' }] },
    ]);
    expect(result.data).toMatchObject({ received: 3, created: 2, failed: 1, errors: [{ row: 2, field: 'numbers[0].number' }] });
    const ana = await findMember('A-1');
    expect(ana.numbers.map((n) => [n.slot, n.number])).toEqual([
      [1, '5551001000'],
      [2, '5551001001'],
    ]);
  });

  it('answers NotFoundError for an unknown or deleted dial list and adds nothing', async () => {
    const unknown = Buffer.from('DialList:01900000-0000-7000-8000-000000000000').toString('base64');
    expect(await addMembers([{ numbers: [{ number: '1' }] }], 'NONE', unknown)).toMatchObject({ __typename: 'NotFoundError', resource: 'DialList' });
    const { data } = await server.current.graphql(`mutation { createDialList(input: { name: "Gone" }) { ${resultOf('CreateDialListSuccess', 'id')} } }`);
    const gone = success<{ id: string }>(data, 'createDialList').id;
    await server.current.graphql(`mutation($id: ID!) { deleteDialList(id: $id) { __typename } }`, { id: gone });
    expect(await addMembers([{ numbers: [{ number: '1' }] }], 'NONE', gone)).toMatchObject({ __typename: 'NotFoundError' });
  });

  it('imports an inline CSV and refuses an unknown column as a typed ImportFormatError', async () => {
    const csv = 'name,externalKey,number,number2,var_TIER\nCara,C-1,5551003000,5551003001,silver\n';
    const ok = await server.current.graphql(
      `mutation($id: ID!, $csv: String) { importMembers(dialListId: $id, csv: $csv) { ${resultOf('ImportMembersSuccess', INTAKE)} } }`,
      { id: dialListId, csv },
    );
    expect(success<Intake>(ok.data, 'importMembers')).toMatchObject({ received: 1, created: 1, failed: 0 });
    const bad = await server.current.graphql(
      `mutation($id: ID!, $csv: String) { importMembers(dialListId: $id, csv: $csv) { __typename ... on ImportFormatError { code subjects } } }`,
      { id: dialListId, csv: 'name,number,colour\nDan,5551004000,red\n' },
    );
    expect(bad.data?.importMembers).toEqual({ __typename: 'ImportFormatError', code: 'UNKNOWN_COLUMN', subjects: ['colour'] });
  });

  it('imports a file sent as a multipart upload', async () => {
    const body = new FormData();
    body.set(
      'operations',
      JSON.stringify({
        query: `mutation($id: ID!, $file: File) { importMembers(dialListId: $id, file: $file, input: { format: UCONTACT, timezone: "America/Montevideo" }) {
          ${resultOf('ImportMembersSuccess', INTAKE)} } }`,
        variables: { id: dialListId, file: null },
      }),
    );
    body.set('map', JSON.stringify({ 0: ['variables.file'] }));
    body.set('0', new File(['renewals;5551005000;TIER=bronze;5551005001;7;2001\nrenewals;5551006000\n'], 'base.txt'));
    const response = await fetch(server.current.url, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.current.tokens.ADMIN}` },
      body,
    });
    const json = (await response.json()) as { data: Record<string, unknown> };
    expect(success<Intake>(json.data, 'importMembers')).toMatchObject({ received: 2, created: 2 });
  });

  it('needs exactly one of csv and file', async () => {
    const { data } = await server.current.graphql(
      `mutation($id: ID!) { importMembers(dialListId: $id) { __typename ... on ValidationError { problems { field } } } }`,
      { id: dialListId },
    );
    expect(data?.importMembers).toEqual({ __typename: 'ValidationError', problems: [{ field: 'csv' }] });
  });

  it('updates a member, keeping the tries of a number that stays in its slot', async () => {
    const ana = await findMember('A-1');
    await server.current.database.prisma.memberNumber.updateMany({
      where: { number: '5551001000' },
      data: { tryCount: 2, lastDialResult: 5 },
    });
    const result = await updateMember(ana.id, {
      priority: 9,
      numbers: [{ number: '5551001000' }, { number: '5551009999', type: 'work' }],
    });
    expect(result.data?.numbers).toMatchObject([
      { slot: 1, number: '5551001000', tryCount: 2, lastDialResult: 5 },
      { slot: 2, number: '5551009999', type: 'work', tryCount: 0 },
    ]);
    const reset = await updateMember(ana.id, { resetTries: true, status: 'IDLE' });
    expect(reset.data?.numbers.map((n) => n.tryCount)).toEqual([0, 0]);
  });

  it('refuses CR/LF, a taken external key and a dialer-only status with typed errors', async () => {
    const ben = await findMember('B-1');
    expect(await updateMember(ben.id, { name: 'Ben\r\nAction: Hangup' })).toMatchObject({
      __typename: 'ValidationError',
      problems: [{ field: 'name' }],
    });
    expect(await updateMember(ben.id, { externalKey: 'A-1' })).toMatchObject({ __typename: 'ConflictError' });
    expect((await server.current.graphql(`mutation($id: ID!) { updateMember(id: $id, input: { status: DIALING }) { __typename } }`, { id: ben.id })).errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('filters members by status and by number', async () => {
    const { data } = await server.current.graphql<{ members: { edges: { node: { name: string } }[] } }>(
      `query($id: ID!) { members(first: 10, filter: { dialListId: $id, number: "5551003001", status: [IDLE] }) { edges { node { name } } } }`,
      { id: dialListId },
    );
    expect(data?.members.edges.map((e) => e.node.name)).toEqual(['Cara']);
  });

  it('counts the whole of a list, and of a filtered one, whatever page is asked for', async () => {
    type Counted = { totalCount: number; edges: unknown[] };
    const { data } = await server.current.graphql<{ all: Counted; cara: Counted; node: { members: Counted; memberCount: number } }>(
      `query($id: ID!) {
        all: members(first: 1, filter: { dialListId: $id }) { totalCount edges { cursor } }
        cara: members(first: 1, filter: { dialListId: $id, number: "5551003001" }) { totalCount edges { cursor } }
        node(id: $id) { ... on DialList { memberCount members(first: 2) { totalCount edges { cursor } } } }
      }`,
      { id: dialListId },
    );
    const stored = await server.current.database.prisma.member.count({ where: { dialListId: decodeGlobalID(dialListId).id } });
    expect(stored).toBeGreaterThan(2);
    expect(data?.all).toMatchObject({ totalCount: stored, edges: [expect.anything()] });
    expect(data?.cara).toMatchObject({ totalCount: 1, edges: [expect.anything()] });
    expect(data?.node.members.totalCount).toBe(stored);
    expect(data?.node.members.edges).toHaveLength(2);
    expect(data?.node.memberCount).toBe(stored);
  });

  it('refuses to delete a member being dialed unless forced, and keeps its call records', async () => {
    const cara = await findMember('C-1');
    await server.current.database.prisma.member.update({ where: { id: decodeGlobalID(cara.id).id }, data: { status: 'DIALING' } });
    const refused = await server.current.graphql(`mutation($id: ID!) { deleteMember(id: $id) { __typename } }`, { id: cara.id });
    expect(refused.data?.deleteMember).toEqual({ __typename: 'ConflictError' });
    const forced = await server.current.graphql(`mutation($id: ID!) { deleteMember(id: $id, force: true) { __typename } }`, { id: cara.id });
    expect(forced.data?.deleteMember).toEqual({ __typename: 'DeleteMemberSuccess' });
    const node = await server.current.graphql(`query($id: ID!) { node(id: $id) { id } }`, { id: cara.id });
    expect(node.data).toEqual({ node: null });
  });
});
