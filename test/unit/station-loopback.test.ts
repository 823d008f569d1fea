// Browser mode listens on the loopback interface only: the station holds evidence and must not be
// reachable from the network (D-NO-LEAK), whatever the command line says.
import { describe, expect, it } from 'vitest';
import { RpcError } from '../../src-main/contract';
import {
  allowedHostHeaders,
  allowedOrigins,
  assertLoopbackHost,
} from '../../src-main/station/loopback';
import { asRpcError, thrownBy } from '../support/core-station';

describe('assertLoopbackHost', () => {
  it.each(['127.0.0.1', 'localhost', '::1'])('%s is accepted', (host) => {
    expect(() => assertLoopbackHost(host)).not.toThrow();
  });

  it.each([
    ['every interface (IPv4)', '0.0.0.0'],
    ['every interface (IPv6)', '::'],
    ['a LAN address', '192.168.1.20'],
    ['a public name', 'evidock.example.org'],
    ['an empty string', ''],
  ])('D-NO-LEAK: %s is refused with a message that says what is allowed', (_label, host) => {
    const error = asRpcError(thrownBy(() => assertLoopbackHost(host)));

    expect(error).toBeInstanceOf(RpcError);
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toContain(`Refusing to listen on ${host}`);
    expect(error.message).toMatch(/loopback/);
    expect(error.message).toContain('127.0.0.1, localhost or ::1');
  });
});

describe('requests the station accepts', () => {
  it('Host headers name the loopback addresses on the station’s own port only', () => {
    expect([...allowedHostHeaders(8470)].sort()).toEqual(
      ['127.0.0.1:8470', '[::1]:8470', 'localhost:8470'].sort(),
    );
    expect(allowedHostHeaders(8470).has('evil.example:8470')).toBe(false);
    expect(allowedHostHeaders(8470).has('127.0.0.1:8471')).toBe(false);
  });

  it('origins are the station’s own http pages', () => {
    expect([...allowedOrigins(8470)].sort()).toEqual(
      ['http://127.0.0.1:8470', 'http://[::1]:8470', 'http://localhost:8470'].sort(),
    );
  });
});
