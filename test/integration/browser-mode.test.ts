import Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import type { StationMessage } from '../../src-main/contract';
import { runCli } from '../support/cli';
import { SocketClient } from '../support/socket-client';
import { startStationProcess, type StationProcess } from '../support/station-process';
import { tempDir } from '../support/temp';

const ADMIN_PW = 'admin pass 1';

function get(
  url: string,
  host?: string,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: host ? { host } : {} }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('evidock station in browser mode', () => {
  const dir = tempDir();
  let station: StationProcess;
  let origin: string;

  beforeAll(async () => {
    await runCli(
      [
        'users',
        'add',
        '--badge',
        'A001',
        '--name',
        'Admin',
        '--role',
        'admin',
        '--data-dir',
        dir.path,
      ],
      `${ADMIN_PW}\n`,
    );
    await runCli(
      [
        'users',
        'add',
        '--badge',
        'P100',
        '--name',
        'Officer',
        '--role',
        'officer',
        '--user',
        'A001',
        '--data-dir',
        dir.path,
      ],
      `${ADMIN_PW}\nofficer pass 1\n`,
    );
    station = await startStationProcess(dir.path);
    origin = `http://127.0.0.1:${station.port}`;
  });

  afterAll(async () => {
    if (station.child.exitCode === null) await station.stop('SIGKILL');
    dir.remove();
  });

  it('listens on 127.0.0.1 and serves pages with a strict content security policy', async () => {
    expect(new URL(station.url).hostname).toBe('127.0.0.1');
    const page = await get(station.url);
    expect([200, 503]).toContain(page.status);
    expect(String(page.headers['content-security-policy'])).toContain("script-src 'self'");
    expect(page.headers['x-frame-options']).toBe('DENY');
  });

  it('refuses requests addressed to another host name (DNS rebinding)', async () => {
    const page = await get(station.url, `evil.example:${station.port}`);
    expect(page.status).toBe(421);
  });

  it('never serves files outside the UI folder', async () => {
    for (const path of [
      '../catalogue.sqlite',
      '..%2f..%2fcatalogue.sqlite',
      '%2e%2e/%2e%2e/etc/passwd',
    ]) {
      const page = await get(`${station.url}${path}`);
      expect(page.status, path).toBe(404);
    }
  });

  it('refuses the RPC socket to other origins and to clients that send none', async () => {
    await expect(SocketClient.open(station.url, 'http://evil.example')).rejects.toThrow('403');
    await expect(SocketClient.open(station.url, undefined)).rejects.toThrow('403');
  });

  it('requires a session token for everything but info and login', async () => {
    const client = await SocketClient.open(station.url, origin);
    const info = await client.call('station.info');
    expect(info).toMatchObject({ ok: true, value: { product: 'evidock', setupRequired: false } });
    expect(await client.call('users.list')).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    });
    await client.login('A001', ADMIN_PW);
    expect(await client.call('users.list')).toMatchObject({ ok: true });
    client.close();
  });

  it('refuses an officer the admin methods over the socket, at the station', async () => {
    const client = await SocketClient.open(station.url, origin);
    await client.login('P100', 'officer pass 1');
    const result = await client.call('users.add', {
      badge: 'X1',
      name: 'x',
      role: 'admin',
      password: 'whatever 12',
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    client.close();
  });

  it('pushes audit entries to an admin, and not to an officer', async () => {
    const admin = await SocketClient.open(station.url, origin);
    await admin.login('A001', ADMIN_PW);
    const officer = await SocketClient.open(station.url, origin);
    await officer.login('P100', 'officer pass 1');
    admin.events.length = 0;
    officer.events.length = 0;
    await admin.call('users.disable', { badge: 'P100' });
    await new Promise((r) => setTimeout(r, 200));
    expect(admin.events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'audit.appended',
          payload: { entry: expect.objectContaining({ action: 'user.disabled' }) },
        }),
      ]),
    );
    expect(officer.events.filter((e) => e.name === 'audit.appended')).toEqual([]);
    expect(await officer.call('auth.whoami')).toMatchObject({
      ok: false,
      error: { code: 'ACCOUNT_DISABLED' },
    });
    admin.close();
    officer.close();
  });

  it('answers malformed messages with BAD_REQUEST and keeps serving', async () => {
    const client = await SocketClient.open(station.url, origin);
    const reply = await new Promise<StationMessage>((resolve) => {
      const ws = (client as unknown as { ws: WebSocket }).ws;
      ws.once('message', (data) => resolve(JSON.parse(data.toString()) as StationMessage));
      ws.send('{not json');
    });
    expect(reply).toMatchObject({
      type: 'response',
      result: { ok: false, error: { code: 'BAD_REQUEST' } },
    });
    expect(await client.call('station.info')).toMatchObject({ ok: true });
    client.close();
  });

  it('stops cleanly on SIGTERM: exit 0, WAL checkpointed, the stop audited', async () => {
    const code = await station.stop('SIGTERM');
    expect(code).toBe(0);
    const wal = join(dir.path, 'catalogue.sqlite-wal');
    expect(!existsSync(wal) || statSync(wal).size === 0).toBe(true);
    const db = new Database(join(dir.path, 'catalogue.sqlite'), { readonly: true });
    const last = db
      .prepare('SELECT action, details FROM audit_log ORDER BY seq DESC LIMIT 1')
      .get() as {
      action: string;
      details: string;
    };
    db.close();
    expect(last.action).toBe('station.stopped');
    expect(JSON.parse(last.details)).toEqual({ reason: 'SIGTERM' });
    const verify = await runCli(['audit', 'verify', '--data-dir', dir.path, '--json']);
    expect(verify.code).toBe(0);
  });
});
