import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('configuration', () => {
  it('runs on embedded defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 4000,
      databaseUrl: undefined,
      redisUrl: undefined,
      amiUrl: undefined,
      adminToken: undefined,
      logLevel: 'info',
      sessionTtlMs: 12 * 3_600_000,
    });
    expect(config.dataDir).toMatch(/\/data$/);
  });

  it('treats an empty value as unset, as .env.example leaves them', () => {
    expect(loadConfig({ DATABASE_URL: '', REDIS_URL: '', ADMIN_TOKEN: '' }).databaseUrl).toBeUndefined();
  });

  it('stops on a wrong value and names the variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL must look like postgresql:/);
    expect(() => loadConfig({ AMI_URL: 'http://x' })).toThrow(/AMI_URL/);
    expect(() => loadConfig({ ADMIN_TOKEN: 'short' })).toThrow(/ADMIN_TOKEN must be at least 24 characters/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });

  it('plays every role by default, and splits roles only with the services they share', () => {
    expect(loadConfig({}).role).toBe('all');
    expect(loadConfig({ ROLE: 'api', REDIS_URL: 'redis://r:6379', DATABASE_URL: 'postgresql://d/x' }).role).toBe('api');
    expect(() => loadConfig({ ROLE: 'api' })).toThrow(/ROLE api needs REDIS_URL and DATABASE_URL/);
    expect(() => loadConfig({ ROLE: 'worker', REDIS_URL: 'redis://r:6379' })).toThrow(/ROLE worker needs/);
    expect(() => loadConfig({ ROLE: 'dialer' })).toThrow(/ROLE/);
  });

  it('takes the dialplan applications destinations may run from DIALPLAN_APPLICATIONS, and never one that runs commands', () => {
    expect([...loadConfig({}).applications.allowed]).toEqual(expect.arrayContaining(['queue', 'park', 'playback']));
    expect([...loadConfig({ DIALPLAN_APPLICATIONS: 'Queue, Playback' }).applications.allowed].sort()).toEqual(['playback', 'queue']);
    expect(() => loadConfig({ DIALPLAN_APPLICATIONS: 'Queue,System' })).toThrow(/DIALPLAN_APPLICATIONS System can never be allowed/);
    expect(() => loadConfig({ DIALPLAN_APPLICATIONS: 'Queue,exec' })).toThrow(ConfigError);
    expect(loadConfig({ AGI_HOSTS: 'agi.example.internal' }).applications.allowed.has('agi')).toBe(true);
  });

  it('serves GraphiQL by default on the embedded default only, and as GRAPHIQL says', () => {
    expect(loadConfig({}).graphiql).toBe(true);
    expect(loadConfig({ DATABASE_URL: 'postgresql://db:5432/sb' }).graphiql).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgresql://db:5432/sb', GRAPHIQL: 'true' }).graphiql).toBe(true);
    expect(loadConfig({ GRAPHIQL: 'false' }).graphiql).toBe(false);
  });

  it('opens webhooks to non-public networks only as WEBHOOK_ALLOWED_NETWORKS says, and refuses what is not a network', () => {
    expect(loadConfig({}).webhookTargets.allowedText).toEqual([]);
    expect(loadConfig({ WEBHOOK_ALLOWED_NETWORKS: '10.20.0.0/16, fd00::/8' }).webhookTargets.allowedText).toEqual(['10.20.0.0/16', 'fd00::/8']);
    expect(() => loadConfig({ WEBHOOK_ALLOWED_NETWORKS: 'intranet' })).toThrow(/WEBHOOK_ALLOWED_NETWORKS intranet is not a network/);
  });
});
