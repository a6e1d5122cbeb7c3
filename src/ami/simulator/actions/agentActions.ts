import type { Handler } from './actionSession.js';
import { error, success } from '../protocol/responses.js';

/** Agents (app_agent_pool.c action_agents): one item per agent of agents.conf, logged in or not. */
export const agents: Handler = (session, action) => {
  const items = session.pbx.agents.listItems(action.idFields);
  session.send(success(action, 'Agents will follow', [['EventList', 'start']]));
  for (const item of items) session.send(item);
  session.send([['Event', 'AgentsComplete'], ...action.idFields, ['EventList', 'Complete'], ['ListItems', String(items.length)]]);
};

/** AgentLogoff (action_agent_logoff): an agent not logged in is still "logged out"; only an unknown one fails. */
export const agentLogoff: Handler = (session, action) => {
  const agent = action.get('Agent');
  if (agent === '') return session.send(error(action, 'No agent specified'));
  const soft = ['yes', 'true', 'y', 't', '1', 'on'].includes(action.get('Soft').trim().toLowerCase());
  // The response goes out before the login channel reacts (agents-login-queue rec-12).
  if (!session.pbx.agents.has(agent)) return session.send(error(action, 'No such agent'));
  session.send(success(action, 'Agent logged out'));
  session.pbx.agents.logoff(agent, soft);
};
