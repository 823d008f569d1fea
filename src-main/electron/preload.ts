// Runs sandboxed, isolated from the page. It keeps the station's MessagePort to itself and
// exposes exactly one narrow bridge (contract/bridge.ts): strings in, strings out.
import { contextBridge, ipcRenderer } from 'electron';
import { BRIDGE_GLOBAL } from '../contract/bridge';
import type { EvidockBridge } from '../contract/bridge';

/** A page that sends this much before the station connects is stuck, not early. */
const MAX_QUEUED = 1024;

let port: MessagePort | null = null;
const queued: string[] = [];
const listeners = new Set<(message: string) => void>();

function deliver(message: string): void {
  // A copy, so a listener that unsubscribes (or subscribes) while being called is safe.
  for (const listener of [...listeners]) {
    try {
      listener(message);
    } catch (error) {
      console.error('evidock: a bridge listener threw', error);
    }
  }
}

// Main sends a new port on every page load and after a station restart; the old one is dead.
ipcRenderer.on('evidock:port', (event) => {
  const next = event.ports[0];
  if (next === undefined) return;
  port?.close();
  port = next;
  port.onmessage = (message: MessageEvent<unknown>) => {
    if (typeof message.data === 'string') deliver(message.data);
  };
  for (const message of queued.splice(0)) port.postMessage(message);
});

const bridge: EvidockBridge = {
  send(message: string): void {
    if (typeof message !== 'string') throw new TypeError('evidock.send takes a string');
    if (port !== null) {
      port.postMessage(message);
      return;
    }
    if (queued.length >= MAX_QUEUED) throw new Error('evidock: the station is not connected');
    queued.push(message);
  },
  onMessage(listener: (message: string) => void): () => void {
    if (typeof listener !== 'function') throw new TypeError('evidock.onMessage takes a function');
    // Wrapped so the same function subscribed twice gets two independent subscriptions.
    const subscription = (message: string): void => listener(message);
    listeners.add(subscription);
    return () => {
      listeners.delete(subscription);
    };
  },
};

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, bridge);
