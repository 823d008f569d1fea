import { RpcError } from '../contract';

/**
 * Browser mode listens on the loopback interface only: the station holds evidence and must not
 * be reachable from the network, whatever the command line says.
 */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

export function assertLoopbackHost(host: string): void {
  if (!LOOPBACK_HOSTS.has(host)) {
    throw new RpcError(
      'BAD_REQUEST',
      `Refusing to listen on ${host}: the station serves only the loopback interface ` +
        '(127.0.0.1, localhost or ::1), never the network.',
    );
  }
}

/** The Host header values a request to this station may carry (defeats DNS rebinding). */
export function allowedHostHeaders(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
}

/** Only pages the station itself served may open the RPC socket. */
export function allowedOrigins(port: number): Set<string> {
  return new Set([...allowedHostHeaders(port)].map((host) => `http://${host}`));
}
