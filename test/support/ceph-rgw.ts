import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';

/**
 * Central storage for real (TESTING.md, "Central storage (S3), for real"): a single-node Ceph
 * cluster — one monitor, one memstore OSD and radosgw — in a temporary folder, so forwarding is
 * tested against the S3 implementation a unit may actually run, with its own checks (Content-MD5,
 * multipart ETags, paging, abort), not against a mock that agrees with whatever we send.
 *
 * Each start is its own cluster (fsid, folder, ports), so test files running in parallel never
 * meet. Nothing reads /etc/ceph or /var/lib/ceph: every path is set in the generated ceph.conf.
 * The daemons run in the foreground as children of the test process, each with a parent-death
 * signal (setpriv), and an exit handler kills any still running: a crashed or killed test run
 * leaves no cluster behind.
 *
 * A start takes ~2 s here (with the monitor's default one-second commit interval it took ~13 s);
 * restarting only the gateway takes ~0.3 s.
 */

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface CephRgw extends S3Credentials {
  /** http://127.0.0.1:PORT — the gateway, path-style. */
  readonly endpoint: string;
  readonly port: number;
  readonly region: string;
  /** The cluster's folder (config, logs, the monitor's and OSD's data). */
  readonly dir: string;
  /** How long startCephRgw took, in milliseconds. */
  readonly startedInMs: number;
  /** An S3 client for this gateway, with the settings forwarding uses (see s3Config). */
  client(overrides?: Partial<S3ClientConfig>): S3Client;
  createBucket(name: string): Promise<void>;
  /** Another RGW user (its own keys, its own buckets). */
  addUser(uid: string): Promise<S3Credentials>;
  /**
   * The storage goes away: only radosgw stops (SIGKILL by default: connections are cut, not
   * drained). The cluster and everything stored stay.
   */
  stopGateway(signal?: NodeJS.Signals): Promise<void>;
  /** radosgw again, on the same port, with the same data; resolves once it answers HTTP. */
  startGateway(timeoutMs?: number): Promise<void>;
  /** The last lines a daemon logged (its log file and its stderr). */
  logTail(daemon: 'mon' | 'osd' | 'rgw', lines?: number): string;
  /** Kills every daemon and removes the folder. Safe to call twice. */
  stop(): Promise<void>;
}

export interface CephRgwOptions {
  /** The whole start, every step included (default 60 s). */
  timeoutMs?: number;
  /** Extra `key = value` lines for radosgw's section of ceph.conf (e.g. rgw options). */
  rgwConfig?: Record<string, string>;
}

/** Binary → the Debian package that ships it. */
const BINARIES: Record<string, string> = {
  monmaptool: 'ceph-base',
  'ceph-mon': 'ceph-mon',
  'ceph-osd': 'ceph-osd',
  radosgw: 'radosgw',
  'radosgw-admin': 'ceph-common',
  ceph: 'ceph-common',
};
const PACKAGES = 'ceph-mon ceph-osd radosgw ceph-common';

function findOnPath(tool: string): string | undefined {
  const dirs = (process.env['PATH'] ?? '').split(':').concat(['/usr/bin', '/usr/sbin', '/sbin']);
  return dirs.map((dir) => join(dir, tool)).find((path) => path !== tool && existsSync(path));
}

/** Why a Ceph RGW cannot start here (which packages are missing), or undefined when it can. */
export function cephUnavailable(): string | undefined {
  const missing = Object.keys(BINARIES).filter((tool) => findOnPath(tool) === undefined);
  if (missing.length === 0) return undefined;
  return (
    `Ceph RGW for the S3 tests needs ${missing.join(', ')} (Debian packages: ` +
    `apt-get install --no-install-recommends ${PACKAGES}); .ci/run installs them`
  );
}

/** The S3 client settings forwarding uses against RGW (path-style, checksums only when asked). */
export function s3Config(
  endpoint: string,
  credentials: S3Credentials,
  region = 'us-east-1',
): S3ClientConfig {
  return {
    endpoint,
    region,
    credentials,
    forcePathStyle: true,
    // The SDK's default CRC32 trailers are not what RGW (pacific) checks; ask only when required.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  };
}

// The SDK's notice about its 2027 releases needing Node 22 is not the tests' business.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

// Every daemon still running, killed if the test process exits without stop().
const running = new Set<ChildProcess>();
const folders = new Set<string>();
let exitHandlerInstalled = false;
function installExitHandler(): void {
  if (exitHandlerInstalled) return;
  exitHandlerInstalled = true;
  process.once('exit', () => {
    for (const child of running) child.kill('SIGKILL');
    for (const dir of folders) rmSync(dir, { recursive: true, force: true });
  });
}

const FOLDER_PREFIX = 'evidock-ceph-';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A test process killed outright (SIGKILL) takes its daemons with it (parent-death signal) but
 * cannot remove its folder: the next start does, for folders whose owner process is gone.
 */
function removeAbandonedFolders(): void {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(FOLDER_PREFIX)) continue;
    const dir = join(tmpdir(), name);
    let owner: number;
    try {
      owner = Number(readFileSync(join(dir, 'owner.pid'), 'utf8'));
    } catch {
      continue; // being created right now, or not ours
    }
    if (Number.isInteger(owner) && owner > 0 && !alive(owner)) {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

/**
 * A port outside the kernel's ephemeral range (32768–60999): a port from that range can become
 * the source port of any outgoing connection meanwhile, and radosgw must be able to bind its
 * port again when the gateway restarts. Random, and checked free, so parallel files differ.
 */
async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error('no free port found for the Ceph test cluster');
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function tail(path: string, lines: number): string {
  try {
    const text = readFileSync(path, 'utf8').trimEnd();
    return text.split('\n').slice(-lines).join('\n');
  } catch {
    return `(${path} unreadable)`;
  }
}

/** Does any HTTP server answer on this port? (Any status: RGW answers anonymous GET / with 200.) */
function answersHttp(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/', timeout: 1_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(true));
      res.on('error', () => resolve(false));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

interface Daemon {
  child: ChildProcess;
  exited: Promise<string>;
}

class Cluster {
  readonly conf: string;
  private readonly daemons = new Map<'mon' | 'osd' | 'rgw', Daemon>();
  private osdId = '0';

  constructor(
    readonly dir: string,
    readonly monPort: number,
    readonly rgwPort: number,
  ) {
    this.conf = join(dir, 'ceph.conf');
  }

  /** Daemon → its ceph name (the log file is log/<name>.log). */
  name(daemon: 'mon' | 'osd' | 'rgw'): string {
    return daemon === 'mon' ? 'mon.a' : daemon === 'osd' ? `osd.${this.osdId}` : 'client.rgw';
  }

  logTail(daemon: 'mon' | 'osd' | 'rgw', lines = 30): string {
    const name = this.name(daemon);
    const log = join(this.dir, 'log', `${name}.log`);
    const out = join(this.dir, 'log', `${name}.out`);
    return [
      `--- ${log} ---`,
      tail(log, lines),
      `--- ${out} (stdout/stderr) ---`,
      tail(out, lines),
    ].join('\n');
  }

  failure(daemon: 'mon' | 'osd' | 'rgw', what: string): Error {
    return new Error(`Ceph test cluster: ${what}\n${this.logTail(daemon)}`);
  }

  /** A ceph tool, to completion; its output, or an error carrying its stderr. */
  run(tool: string, args: string[], timeoutMs: number): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile(
        tool,
        ['-c', this.conf, ...args],
        { timeout: Math.max(1_000, timeoutMs), env: cephEnv() },
        (error, stdout, stderr) => {
          if (error) {
            reject(new Error(`${tool} ${args.join(' ')} failed: ${error.message}\n${stderr}`));
          } else resolve(stdout);
        },
      );
    });
  }

  /** A daemon in the foreground, dying with this process; stdout/stderr go to log/<name>.out. */
  spawn(daemon: 'mon' | 'osd' | 'rgw', tool: string, args: string[]): Daemon {
    const out = openSync(join(this.dir, 'log', `${this.name(daemon)}.out`), 'a');
    const argv = [tool, '-c', this.conf, '-f', ...args];
    const setpriv = findOnPath('setpriv');
    const child = setpriv
      ? spawn(setpriv, ['--pdeathsig', 'KILL', '--', ...argv], {
          stdio: ['ignore', out, out],
          env: cephEnv(),
        })
      : spawn(tool, argv.slice(1), { stdio: ['ignore', out, out], env: cephEnv() });
    closeSync(out);
    running.add(child);
    const exited = new Promise<string>((resolve) => {
      child.once('error', (error) => {
        running.delete(child);
        resolve(`could not start: ${error.message}`);
      });
      child.once('exit', (code, signal) => {
        running.delete(child);
        resolve(signal ? `killed by ${signal}` : `exited with code ${code}`);
      });
    });
    const record = { child, exited };
    this.daemons.set(daemon, record);
    return record;
  }

  /** Waits for `ready` to hold, failing early when the daemon exits, or at the deadline. */
  async waitFor(
    daemon: 'mon' | 'osd' | 'rgw',
    what: string,
    ready: () => Promise<boolean>,
    deadline: number,
  ): Promise<void> {
    const record = this.daemons.get(daemon);
    let exit: string | undefined;
    void record?.exited.then((how) => (exit = how));
    for (;;) {
      if (exit !== undefined) throw this.failure(daemon, `${this.name(daemon)} ${exit} ${what}`);
      if (await ready().catch(() => false)) return;
      if (Date.now() > deadline) {
        throw this.failure(daemon, `${this.name(daemon)}: timed out ${what}`);
      }
      await delay(250);
    }
  }

  writeConfig(fsid: string, rgwConfig: Record<string, string>): void {
    const d = this.dir;
    for (const sub of ['run', 'log', 'mon', 'osd', 'rgw', 'crash']) mkdirSync(join(d, sub));
    const lines = [
      '[global]',
      `fsid = ${fsid}`,
      `mon host = v2:127.0.0.1:${this.monPort}`,
      'mon initial members = a',
      // One node, nobody else on it: no cephx.
      'auth cluster required = none',
      'auth service required = none',
      'auth client required = none',
      // Without these radosgw loops on authentication with auth none.
      'ms mon client mode = crc secure',
      'ms client mode = crc secure',
      'ms bind msgr1 = false',
      'public addr = 127.0.0.1',
      'cluster addr = 127.0.0.1',
      'osd pool default size = 1',
      'osd pool default min size = 1',
      'osd pool default pg num = 8',
      'osd pool default pgp num = 8',
      // No mgr runs to autoscale.
      'osd pool default pg autoscale mode = off',
      // One monitor has nobody to batch map updates with: commit each at once instead of once a
      // second (radosgw's first start makes ~12 updates; this takes the start from ~13 s to ~2 s).
      'paxos propose interval = 0.01',
      'mon allow pool size one = true',
      'mon max pg per osd = 1000',
      'osd crush chooseleaf type = 0',
      'osd objectstore = memstore',
      // The capacity memstore reports (memory is used only as data is written).
      'memstore device bytes = 4294967296',
      // Every path inside the cluster's folder: nothing under /var or /etc.
      'keyring = /dev/null',
      `run dir = ${d}/run`,
      `pid file = ${d}/run/$name.pid`,
      `admin socket = ${d}/run/$name.$pid.asok`,
      `log file = ${d}/log/$name.log`,
      `mon cluster log file = ${d}/log/cluster.log`,
      `mon debug dump location = ${d}/log/$name.tdump`,
      `crash dir = ${d}/crash`,
      `mon data = ${d}/mon/$name`,
      `osd data = ${d}/osd/$name`,
      `rgw data = ${d}/rgw/$name`,
      `mgr data = ${d}/mgr/$name`,
      `mds data = ${d}/mds/$name`,
      '',
      '[client.rgw]',
      `rgw frontends = beast endpoint=127.0.0.1:${this.rgwPort}`,
      ...Object.entries(rgwConfig).map(([key, value]) => `${key} = ${value}`),
      '',
    ];
    writeFileSync(this.conf, lines.join('\n'));
  }

  async startMon(fsid: string, deadline: number): Promise<void> {
    const monmap = join(this.dir, 'monmap');
    await this.run(
      'monmaptool',
      ['--create', '--fsid', fsid, '--addv', 'a', `[v2:127.0.0.1:${this.monPort}]`, monmap],
      deadline - Date.now(),
    );
    await this.run(
      'ceph-mon',
      ['--mkfs', '-i', 'a', '--monmap', monmap],
      deadline - Date.now(),
    ).catch((error: Error) => {
      throw this.failure('mon', `ceph-mon --mkfs: ${error.message}`);
    });
    this.spawn('mon', 'ceph-mon', ['-i', 'a']);
  }

  async startOsd(deadline: number): Promise<void> {
    const uuid = randomUUID();
    // `ceph osd new` is also the first call to the monitor: it waits for it to listen.
    const id = await this.cephCli(['osd', 'new', uuid], 'mon', 'registering the OSD', deadline);
    this.osdId = id.trim();
    mkdirSync(join(this.dir, 'osd', `osd.${this.osdId}`));
    await this.run(
      'ceph-osd',
      ['-i', this.osdId, '--mkfs', '--osd-uuid', uuid],
      deadline - Date.now(),
    ).catch((error: Error) => {
      throw this.failure('osd', `ceph-osd --mkfs: ${error.message}`);
    });
    this.spawn('osd', 'ceph-osd', ['-i', this.osdId]);
    await this.waitFor(
      'osd',
      'while coming up',
      async () => {
        const stat = await this.run('ceph', ['osd', 'stat', '-f', 'json'], 10_000);
        return (JSON.parse(stat) as { num_up_osds?: number }).num_up_osds === 1;
      },
      deadline,
    );
  }

  /** The `ceph` CLI, failing early (naming `daemon`) if the daemon exits meanwhile. */
  private async cephCli(
    args: string[],
    daemon: 'mon' | 'osd' | 'rgw',
    what: string,
    deadline: number,
  ): Promise<string> {
    const seconds = Math.max(1, Math.floor((deadline - Date.now()) / 1000));
    const exited = this.daemons.get(daemon)?.exited;
    const result = await Promise.race([
      this.run('ceph', ['--connect-timeout', String(seconds), ...args], seconds * 1000 + 2_000),
      ...(exited ? [exited.then((how) => ({ exit: how }))] : []),
    ]).catch((error: Error) => {
      throw this.failure(daemon, `${what}: ${error.message}`);
    });
    if (typeof result !== 'string') {
      throw this.failure(daemon, `${this.name(daemon)} ${result.exit} ${what}`);
    }
    return result;
  }

  async startRgw(deadline: number): Promise<void> {
    if (this.daemons.has('rgw')) throw new Error('Ceph test cluster: radosgw is already running');
    this.spawn('rgw', 'radosgw', ['-n', 'client.rgw']);
    await this.waitFor(
      'rgw',
      `before answering HTTP on 127.0.0.1:${this.rgwPort}`,
      () => answersHttp(this.rgwPort),
      deadline,
    );
  }

  async stopDaemon(daemon: 'mon' | 'osd' | 'rgw', signal: NodeJS.Signals = 'SIGKILL') {
    const record = this.daemons.get(daemon);
    if (!record) return;
    this.daemons.delete(daemon);
    record.child.kill(signal);
    const timer = setTimeout(() => record.child.kill('SIGKILL'), 10_000);
    await record.exited;
    clearTimeout(timer);
  }
}

function cephEnv(): NodeJS.ProcessEnv {
  // A CEPH_ARGS or CEPH_CONF from the machine must not point the test cluster elsewhere.
  const env = { ...process.env };
  delete env['CEPH_ARGS'];
  delete env['CEPH_CONF'];
  return env;
}

function newCredentials(): S3Credentials {
  return {
    // AWS-shaped: 20 upper-case characters, a 40-character secret.
    accessKeyId: `EVD${randomBytes(12).toString('hex').toUpperCase().slice(0, 17)}`,
    secretAccessKey: randomBytes(30).toString('base64'),
  };
}

/** Starts a fresh single-node Ceph cluster with radosgw and one S3 user (random keys). */
export async function startCephRgw(options: CephRgwOptions = {}): Promise<CephRgw> {
  const missing = cephUnavailable();
  if (missing) throw new Error(missing);
  installExitHandler();
  const started = Date.now();
  const deadline = started + (options.timeoutMs ?? 60_000);
  removeAbandonedFolders();
  const dir = await mkdtemp(join(tmpdir(), FOLDER_PREFIX));
  writeFileSync(join(dir, 'owner.pid'), String(process.pid));
  folders.add(dir);
  const monPort = await freePort();
  let rgwPort = await freePort();
  while (rgwPort === monPort) rgwPort = await freePort();
  const cluster = new Cluster(dir, monPort, rgwPort);
  const fsid = randomUUID();
  const user = newCredentials();
  const region = 'us-east-1';
  const endpoint = `http://127.0.0.1:${rgwPort}`;

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await cluster.stopDaemon('rgw');
    await cluster.stopDaemon('osd');
    await cluster.stopDaemon('mon');
    rmSync(dir, { recursive: true, force: true });
    folders.delete(dir);
  };

  const addUser = async (uid: string, keys = newCredentials()): Promise<S3Credentials> => {
    await cluster.run(
      'radosgw-admin',
      [
        'user',
        'create',
        `--uid=${uid}`,
        `--display-name=${uid}`,
        `--access-key=${keys.accessKeyId}`,
        `--secret-key=${keys.secretAccessKey}`,
      ],
      30_000,
    );
    return keys;
  };

  try {
    cluster.writeConfig(fsid, options.rgwConfig ?? {});
    await cluster.startMon(fsid, deadline);
    await cluster.startOsd(deadline);
    await cluster.startRgw(deadline);
    await addUser('evidock-test', user);
  } catch (error) {
    await stop();
    throw error;
  }

  const client = (overrides: Partial<S3ClientConfig> = {}) =>
    new S3Client({ ...s3Config(endpoint, user, region), ...overrides });

  return {
    endpoint,
    port: rgwPort,
    region,
    dir,
    startedInMs: Date.now() - started,
    ...user,
    client,
    createBucket: async (name) => {
      const s3 = client();
      try {
        await s3.send(new CreateBucketCommand({ Bucket: name }));
      } finally {
        s3.destroy();
      }
    },
    addUser: (uid) => addUser(uid),
    stopGateway: (signal) => cluster.stopDaemon('rgw', signal),
    startGateway: (timeoutMs = 30_000) => cluster.startRgw(Date.now() + timeoutMs),
    logTail: (daemon, lines) => cluster.logTail(daemon, lines),
    stop,
  };
}
