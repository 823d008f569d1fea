import { EVENTS, type EventName, type EventPayload, type Permission } from '../contract';

/** One open client (a browser tab over WebSocket, or the Electron window over a MessagePort). */
export interface EventSubscriber {
  /** Whether the subscriber's current session holds a permission; checked at each event. */
  mayReceive(permission: Permission): boolean;
  deliver(name: EventName, payload: unknown): void;
}

/** Fans server events out to subscribers whose session may see them. */
export class EventHub {
  private readonly subscribers = new Set<EventSubscriber>();

  subscribe(subscriber: EventSubscriber): () => void {
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  publish<E extends EventName>(name: E, payload: EventPayload<E>): void {
    const { permission } = EVENTS[name];
    for (const subscriber of this.subscribers) {
      if (subscriber.mayReceive(permission)) subscriber.deliver(name, payload);
    }
  }
}
