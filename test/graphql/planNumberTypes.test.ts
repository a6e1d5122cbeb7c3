import { describe, expect, it } from 'vitest';
import { postgresAvailable, resultOf, success, useServer } from '../support/fixture.js';

const TYPES = 'numberTypes { code name maxTries priority windows { weekdays start end } }';
const CREATED = resultOf('CreatePlanSuccess', `id ${TYPES}`);
const UPDATED = resultOf('UpdatePlanSuccess', `id ${TYPES}`);

type Problem = { field: string; message: string };
type WithTypes = { id: string; numberTypes: unknown[] };

describe.skipIf(!postgresAvailable)("a plan's number types", () => {
  const server = useServer();
  const createPlan = (input: Record<string, unknown>) =>
    server.current.graphql(`mutation($input: CreatePlanInput!) { createPlan(input: $input) { ${CREATED} } }`, { input });
  const updatePlan = (id: string, input: Record<string, unknown>) =>
    server.current.graphql(`mutation($id: ID!, $input: UpdatePlanInput!) { updatePlan(id: $id, input: $input) { ${UPDATED} } }`, { id, input });

  it('keeps each type with its windows, and a list given on update replaces the stored one', async () => {
    const plan = success<WithTypes>(
      (
        await createPlan({
          name: 'Typed',
          numberTypes: [
            { code: 'mobile', name: 'Mobile', maxTries: 3, priority: 10, windows: [{ weekdays: [5, 1, 1], start: '18:00', end: '02:00' }] },
            { code: 'home', name: 'Home', maxTries: 1 },
          ],
        })
      ).data,
      'createPlan',
    );
    expect(plan.numberTypes).toEqual([
      { code: 'home', name: 'Home', maxTries: 1, priority: 0, windows: [] },
      { code: 'mobile', name: 'Mobile', maxTries: 3, priority: 10, windows: [{ weekdays: [1, 5], start: '18:00', end: '02:00' }] },
    ]);
    const replaced = success<WithTypes>((await updatePlan(plan.id, { numberTypes: [{ code: 'work', name: 'Work', maxTries: 2, windows: [{ start: '09:00', end: '24:00' }] }] })).data, 'updatePlan');
    expect(replaced.numberTypes).toEqual([{ code: 'work', name: 'Work', maxTries: 2, priority: 0, windows: [{ weekdays: [], start: '09:00', end: '24:00' }] }]);
    // Left out, they stay; empty, they go.
    expect(success<WithTypes>((await updatePlan(plan.id, { retryDelaySec: 30 })).data, 'updatePlan').numberTypes).toHaveLength(1);
    expect(success<WithTypes>((await updatePlan(plan.id, { numberTypes: [] })).data, 'updatePlan').numberTypes).toEqual([]);
  });

  it('names every problem by its path, a repeated code among them, and stores nothing', async () => {
    const { data } = await createPlan({
      name: 'Bad types',
      numberTypes: [
        { code: 'mobile', name: 'Mobile', maxTries: -1, priority: 5000, windows: [{ weekdays: [7], start: '25:00', end: '9:00' }] },
        { code: 'Mobile', name: ' ', maxTries: 2, windows: [{ start: '08:00', end: '08:00' }, { start: '22:00', end: '24:00' }] },
        { code: '', name: 'No code', maxTries: 1, windows: [{ start: '24:00', end: '06:00' }] },
      ],
    });
    const result = data?.createPlan as { __typename: string; problems: Problem[] };
    expect(result.__typename).toBe('ValidationError');
    expect(result.problems.map((problem) => problem.field).sort()).toEqual(
      [
        'numberTypes[0].maxTries',
        'numberTypes[0].priority',
        'numberTypes[0].windows[0].weekdays[0]',
        'numberTypes[0].windows[0].start',
        'numberTypes[0].windows[0].end',
        'numberTypes[1].code',
        'numberTypes[1].name',
        'numberTypes[1].windows[0].end',
        'numberTypes[2].code',
        'numberTypes[2].windows[0].start',
      ].sort(),
    );
    expect(result.problems.find((problem) => problem.field === 'numberTypes[1].code')?.message).toBe('repeats numberTypes[0].code (Mobile): each type is listed once');
    const plans = await server.current.graphql(`{ plans(filter: { name: "Bad types" }) { totalCount } }`);
    expect(plans.data).toEqual({ plans: { totalCount: 0 } });
  });
});
