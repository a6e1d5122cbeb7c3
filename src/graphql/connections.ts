/**
 * The connection and edge type options of a list of `node`s: `PlanConnection` of `PlanEdge`s, as the schema's
 * conventions name every list (ARCHITECTURE.md). Spread after a prismaConnection's own options.
 */
export function connectionOf(node: string): [{ name: string }, { name: string }] {
  return [{ name: `${node}Connection` }, { name: `${node}Edge` }];
}
