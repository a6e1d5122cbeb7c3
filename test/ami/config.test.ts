import { describe, expect, it } from 'vitest';
import { amiConfigFromPbxServer, parseAmiUrl } from '../../src/ami/config.js';
import { AmiConfigError, AmiInjectionError } from '../../src/ami/errors.js';

describe('parseAmiUrl', () => {
  it('reads user, secret, host and port', () => {
    expect(parseAmiUrl('ami://admin:labsecret@pbx1.example.com:5039')).toEqual({
      name: 'pbx1.example.com:5039',
      host: 'pbx1.example.com',
      port: 5039,
      username: 'admin',
      secret: 'labsecret',
    });
  });

  it('defaults the port to 5038 and tolerates a trailing slash', () => {
    expect(parseAmiUrl('ami://admin:s@10.0.0.5/')).toMatchObject({ host: '10.0.0.5', port: 5038, name: '10.0.0.5:5038' });
  });

  it('percent-decodes user and secret', () => {
    expect(parseAmiUrl('ami://us%40er:p%3As%2Fs%25w%20d@pbx:5038')).toMatchObject({ username: 'us@er', secret: 'p:s/s%w d' });
  });

  it('accepts an IPv6 host and strips its brackets', () => {
    expect(parseAmiUrl('ami://a:b@[::1]:5038')).toMatchObject({ host: '::1', port: 5038 });
  });

  it.each([
    ['not a URL', 'pbx:5038'],
    ['another scheme', 'http://a:b@pbx:5038'],
    ['no user', 'ami://:secret@pbx'],
    ['no secret', 'ami://admin@pbx'],
    ['no host', 'ami://a:b@:5038'],
    ['port 0', 'ami://a:b@pbx:0'],
    ['a port out of range', 'ami://a:b@pbx:70000'],
    ['a path', 'ami://a:b@pbx:5038/x'],
    ['a query', 'ami://a:b@pbx:5038?events=off'],
    ['a broken escape', 'ami://a:%E0%A4%A@pbx'],
  ])('refuses %s', (_label, url) => {
    expect(() => parseAmiUrl(url)).toThrow(AmiConfigError);
  });

  it('never repeats the secret in its errors', () => {
    for (const url of ['ami:/admin:topsecret@', 'http://admin:topsecret@pbx', 'ami://admin:topsecret@pbx/x']) {
      expect(() => parseAmiUrl(url)).toThrow(expect.objectContaining({ message: expect.not.stringContaining('topsecret') }));
    }
  });

  it('refuses an encoded CR/LF in the user or secret: they go into the Login action', () => {
    expect(() => parseAmiUrl('ami://admin:x%0D%0AAction:%20Command@pbx')).toThrow(AmiInjectionError);
    expect(() => parseAmiUrl('ami://ad%0Amin:x@pbx')).toThrow(AmiInjectionError);
  });
});

describe('amiConfigFromPbxServer', () => {
  const row = { id: 'x', name: 'Main PBX', host: 'pbx1', port: 5038, username: 'admin', secret: 's', enabled: true };

  it('takes name, host, port, username and secret from the row', () => {
    expect(amiConfigFromPbxServer(row)).toEqual({ name: 'Main PBX', host: 'pbx1', port: 5038, username: 'admin', secret: 's' });
  });

  it('validates the row like a URL', () => {
    expect(() => amiConfigFromPbxServer({ ...row, port: 0 })).toThrow(AmiConfigError);
    expect(() => amiConfigFromPbxServer({ ...row, secret: 'a\nb' })).toThrow(AmiInjectionError);
    expect(() => amiConfigFromPbxServer({ ...row, host: 'pbx 1' })).toThrow(AmiConfigError);
  });
});
