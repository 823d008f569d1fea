import type { EventName, EventPayload } from '../contract';
import { mayReceive, type Viewer } from '../domain';

/** One open client (a browser tab over WebSocket, or the Electron window over a MessagePort). */
export interface EventSubscriber {
  /** Who the subscriber's session is now, or null; asked at each event. */
  viewer(): Viewer | null;
  deliver(name: EventName, payload: unknown): void;
}

/**
 * An event's payload as one viewer may see it (the visibility rules of domain/visibility), or
 * null when the event is not for them at all (another officer's docking).
 */
export type EventView = <E extends EventName>(
  name: E,
  payload: EventPayload<E>,
  viewer: Viewer,
) => EventPayload<E> | null;

/**
 * Fans server events out to the subscribers whose session may see them, each shown what its
 * viewer may see: the same rules as the methods that list the same things.
 */
export class EventHub {
  private readonly subscribers = new Set<EventSubscriber>();

  constructor(private readonly view: EventView = (_name, payload) => payload) {}

  subscribe(subscriber: EventSubscriber): () => void {
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  publish<E extends EventName>(name: E, payload: EventPayload<E>): void {
    for (const subscriber of this.subscribers) {
      const viewer = subscriber.viewer();
      if (!mayReceive(viewer, name)) continue;
      const seen = this.view(name, payload, viewer);
      if (seen !== null) subscriber.deliver(name, seen);
    }
  }
}
